package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.nabla.runtime.io.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, items 4, 5, 10, 20 and 22: every command's output files go through {@link Outputs}. */
class OutputFilesTest {
  @TempDir Path dir;
  Path digits;

  @BeforeEach
  void setUp() {
    digits = Cli.digits(dir);
  }

  /** Item 4: a symbolic link is written through; the link stays a link. */
  @Test
  void aSymlinkIsWrittenThroughToItsTarget() throws IOException {
    Path target = Files.writeString(dir.resolve("real.dot"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.dot"), target.getFileName());
    Cli.Result r = Cli.run("graph", digits, "-o", link);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(target)).startsWith("digraph");

    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.npz"), Path.of("sub/new.npz"));
    assertThat(Cli.run("init", digits, "-o", dangling).code()).isZero();
    assertThat(Files.isSymbolicLink(dangling)).isTrue();
    assertThat(Npz.read(dir.resolve("sub/new.npz"))).containsKey("W1");
  }

  /** Item 4: a FIFO (like a device) is written as a stream, not replaced by a regular file. */
  @Test
  void aFifoStaysAFifo() throws Exception {
    Path fifo = dir.resolve("pipe");
    assumeThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = Files.newInputStream(fifo)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Cli.Result r = Cli.run("graph", digits, "-o", fifo);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(read.get(30, TimeUnit.SECONDS)).startsWith("digraph");
    assertThat(Files.isRegularFile(fifo)).isFalse();
    assertThat(Files.exists(fifo)).isTrue();
    assertThat(Cli.run("graph", digits, "-o", "/dev/null").code()).isZero();
    assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
  }

  /** Item 5: an output that is one of the command's inputs is refused before any work. */
  @Test
  void anOutputThatIsAnInputIsRefused() throws IOException {
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", digits, "-o", params).code()).isZero();
    Path batch = ModelCommandsTest.writeBatch(dir.resolve("B.npz"), true, 64);
    Path data = Files.writeString(dir.resolve("D.csv"), "1,2\n");
    Path link = Files.createSymbolicLink(dir.resolve("alias.nn"), digits.getFileName());
    List<List<Object>> clashes = List.of(
        List.of("train", digits, "--data", data, "-o", digits),
        List.of("train", digits, "--data", data, "-o", link),
        List.of("init", digits, "-o", digits),
        List.of("predict", digits, "--params", params, "--data", data, "-o", params),
        List.of("predict", digits, "--params", params, "--data", data, "-o", data),
        List.of("graph", digits, "-o", digits),
        List.of("eval", digits, "--params", params, "--batch", batch, "--out", params),
        List.of("eval", digits, "--params", params, "--batch", batch, "--out", batch));
    for (List<Object> args : clashes) {
      byte[] model = Files.readAllBytes(digits);
      byte[] p = Files.readAllBytes(params);
      byte[] d = Files.readAllBytes(data);
      byte[] b = Files.readAllBytes(batch);
      Cli.Result r = Cli.run(args.toArray());
      assertThat(r.code()).as(args + "\n" + r).isEqualTo(2);
      assertThat(r.err()).as(args.toString()).contains("writing it would destroy an input").doesNotContain("nabla: using");
      assertThat(r.out()).isEmpty();
      assertThat(Files.readAllBytes(digits)).isEqualTo(model);
      assertThat(Files.readAllBytes(params)).isEqualTo(p);
      assertThat(Files.readAllBytes(data)).isEqualTo(d);
      assertThat(Files.readAllBytes(batch)).isEqualTo(b);
    }
    assertThat(Cli.run("train", digits, "--data", data, "-o", digits).err())
        .startsWith("nabla train: -o " + digits + " is the model file: writing it would destroy an input");
  }

  /** Items 10 and 22: an output that cannot be written is found before training, with a clear reason. */
  @Test
  void anUnwritableOutputIsFoundBeforeTraining() throws IOException {
    Path data = Files.writeString(dir.resolve("D.csv"), "1,2\n");   // too narrow: training would fail later
    Path directory = Files.createDirectory(dir.resolve("existing"));
    Cli.Result r = Cli.run("train", digits, "--data", data, "-o", directory);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("nabla: cannot write " + directory + ": it is a directory\n");
    assertThat(r.out()).isEmpty();

    Path underFile = digits.resolve("x.npz");
    Cli.Result f = Cli.run("train", digits, "--data", data, "-o", underFile);
    assertThat(f.err()).isEqualTo("nabla: cannot write " + underFile + ": " + digits + " is not a directory\n");
    assertThat(f.out()).isEmpty();
  }

  /** Item 10, as an unprivileged user: a read-only directory is found before training. */
  @Test
  void aReadOnlyDirectoryIsFoundBeforeTraining() throws IOException {
    assumeThat(System.getProperty("user.name")).as("root may write anywhere").isNotEqualTo("root");
    Path readOnly = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    Path data = Files.writeString(dir.resolve("D.csv"), "1,2\n");
    Cli.Result r = Cli.run("train", digits, "--data", data, "-o", readOnly.resolve("p.npz"));
    assertThat(r.err()).isEqualTo("nabla: cannot write " + readOnly.resolve("p.npz") + ": permission denied\n");
  }

  /** Item 10: a name of 255 bytes (the longest allowed) works; the temporary name stays shorter. */
  @Test
  void theLongestLegalNameCanBeWritten() throws IOException {
    Path longest = dir.resolve("p".repeat(251) + ".npz");
    Cli.Result r = Cli.run("init", digits, "-o", longest);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Npz.read(longest)).containsKey("W1");
    Path dot = dir.resolve("\u00e9".repeat(125) + ".dot");   // 250 bytes of UTF-8 + 4
    assertThat(Cli.run("graph", digits, "-o", dot).code()).isZero();
  }

  /** Item 20: new files get the umask's mode (as any new file), replaced files keep theirs. */
  @Test
  void newFilesRespectTheUmaskAndReplacedFilesKeepTheirMode() throws IOException {
    Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
    Cli.Result c = Cli.run("compile", digits, "-d", dir.resolve("src"));
    assertThat(c.code()).as(c.toString()).isZero();
    assertThat(Files.getPosixFilePermissions(dir.resolve("src/Digits.java"))).isEqualTo(usual);
    assertThat(Cli.run("graph", digits, "-o", dir.resolve("g.dot")).code()).isZero();
    assertThat(Files.getPosixFilePermissions(dir.resolve("g.dot"))).isEqualTo(usual);

    Set<PosixFilePermission> shared = PosixFilePermissions.fromString("rw-rw----");
    Files.setPosixFilePermissions(dir.resolve("g.dot"), shared);
    assertThat(Cli.run("graph", digits, "--grad", "-o", dir.resolve("g.dot")).code()).isZero();
    assertThat(Files.getPosixFilePermissions(dir.resolve("g.dot"))).isEqualTo(shared);
  }

  /**
   * Item 20: a write cut short by the JVM's exit (Ctrl-C runs the shutdown hooks) leaves no hidden
   * temporary file: the hook's cleanup removes it while the body is still writing.
   */
  @Test
  void theShutdownCleanupRemovesTheTemporaryFileOfAnUnfinishedWrite() throws Exception {
    Path target = dir.resolve("out.csv");
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> write = CompletableFuture.runAsync(() -> Outputs.write(target, (OutputStream out) -> {
      out.write("partial".getBytes(StandardCharsets.UTF_8));
      writing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(hiddenFiles()).hasSize(1);
    Outputs.cleanUp();
    assertThat(hiddenFiles()).isEmpty();
    release.countDown();
    assertThat(write).failsWithin(30, TimeUnit.SECONDS);
    assertThat(target).doesNotExist();
    assertThat(hiddenFiles()).isEmpty();
  }

  private List<Path> hiddenFiles() throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }
}
