package dev.nabla.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.runtime.data.DataFiles;
import dev.nabla.runtime.data.DataLimits;
import dev.nabla.runtime.data.Layout;
import dev.nabla.runtime.io.Npz;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small files that inflate to more than the heap, read in a JVM with a 64 MB heap: a clear
 * error, never an {@link OutOfMemoryError} (issue 12, item 11). Each case forks one small JVM
 * running {@link #main}, about a second.
 */
class HeapBombTest {
  @TempDir Path dir;

  /** Reads {@code args[1]} as {@code args[0]} ("npz" or "csv"); exit 3 with the message on a refusal, 4 on OOM. */
  public static void main(String[] args) {
    try {
      if (args[0].equals("npz")) {
        Npz.read(Path.of(args[1]));
      } else {
        DataFiles.read(Path.of(args[1]), null, new Layout(2, 1, 0, "model R (input x[2]; target d[1])"), false,
            DataLimits.DEFAULT);
      }
      System.out.println("read it all");
    } catch (NablaDataException e) {
      System.out.println(e.getMessage());
      System.exit(3);
    } catch (OutOfMemoryError e) {
      System.out.println("OutOfMemoryError");
      System.exit(4);
    }
  }

  /** Runs {@link #main} in a JVM with a 64 MB heap; returns its exit code and output. */
  static String[] fork(String kind, Path file) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        HeapBombTest.class.getName(), kind, file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  @Test
  void anNpzOfArraysThatTogetherPassTheHeapIsRefused() throws Exception {
    // Four compressed entries of 16 MB of zeros (16 KB each on disk): each fits alone, not all four.
    NdArray zeros = NdArray.zeros(DType.F32, 1 << 22);
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    for (String name : new String[] {"a", "b", "c", "d"}) {
      arrays.put(name, zeros);
    }
    Path npz = dir.resolve("bomb.npz");
    Npz.writeCompressed(npz, arrays);
    assertThat(Files.size(npz)).isLessThan(1 << 20);
    String[] r = fork("npz", npz);
    assertThat(r[1]).contains(npz + ": entry '").contains("[4194304] of <f4: 16 MB needed, but the JVM's heap has only")
        .doesNotContain("OutOfMemoryError");
    assertThat(r[0]).isEqualTo("3");
  }

  @Test
  void aGzipCsvBombStopsAtTheHeapsShareOfTheData() throws Exception {
    // 36 MB of rows (18 M values, 72 MB as float) from a small gzip; a 64 MB heap takes 4 M values.
    Path csv = dir.resolve("bomb.csv.gz");
    byte[] block = "1,2,0\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(csv))) {
      for (int i = 0; i < 600; i++) {
        out.write(block);
      }
    }
    String[] r = fork("csv", csv);
    assertThat(r[1]).contains(csv + ":1398102: the data has more than 4194304 values, the limit (about 16 MB as float, "
        + "a quarter of the JVM's maximum heap of 64 MB; give Java more with -Xmx");
    assertThat(r[0]).isEqualTo("3");
  }
}
