package dev.nabla.compiler.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The one way every command writes a file it was asked for ({@code -o}, {@code --out},
 * {@code -d}). A failure is an {@link UncheckedIOException} whose message names the file and says
 * what went wrong; the command line prints it and exits with 1.
 *
 * <ul>
 *   <li>A regular file (or a new one) is written to a hidden temporary file in the same directory
 *       and renamed over the target, so readers see the old or the complete new content and a
 *       failed or interrupted run leaves nothing half-written. The temporary file is created the
 *       way any new file is (the umask applies); when it replaces a file, it takes that file's
 *       permissions. A shutdown hook removes temporary files of writes cut short by Ctrl-C.</li>
 *   <li>A symbolic link is followed: its target is written (or created) and the link stays.</li>
 *   <li>A special file ({@code /dev/null}, a FIFO, a terminal) is written in place, as a stream:
 *       renaming over it would replace the device with a regular file.</li>
 *   <li>{@link #check} runs before a command does its work: the output must not be one of the
 *       command's inputs, nor a directory, and its directory must be writable, so that a long
 *       training run is not lost at the end.</li>
 * </ul>
 */
final class Outputs {
  /** Writes the content; it must not close the stream. */
  @FunctionalInterface
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** An input of the command, which its outputs must not overwrite: {@code "--data"} and the path. */
  record Input(String what, Path path) {}

  /** Symbolic links followed at most (as Linux's ELOOP limit). */
  private static final int MAX_LINKS = 40;
  /** Characters of the target's name kept in a temporary name, so that it stays below NAME_MAX. */
  private static final int TEMP_STEM = 32;

  /** Temporary files being written; removed by the shutdown hook if the JVM exits first. */
  private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

  /** Commands that finish their writes after Ctrl-C (train keeps its best params) delay the cleanup. */
  private static final Set<CountDownLatch> FINISHING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("nabla-output-cleanup").unstarted(Outputs::cleanUp));
  }

  private Outputs() {}

  /**
   * Checks, before any work, that {@code output} (the value of {@code option}) can be written: it
   * is no input of the command (same file, compared by the file system's identity, so links and
   * other spellings count), not a directory, its parents are directories (missing ones are
   * created) and its directory is writable (a temporary file is created there and removed).
   * Clashes with inputs are usage errors ({@link picocli.CommandLine.ParameterException}, exit
   * 2), the rest {@link UncheckedIOException}s (exit 1).
   */
  static void check(picocli.CommandLine cli, String option, Path output, Input... inputs) {
    Path target = resolve(output);
    for (Input in : inputs) {
      if (in != null && in.path() != null && sameFile(target, in.path())) {
        throw new picocli.CommandLine.ParameterException(cli, option + " " + output + " is " + in.what()
            + (in.path().toString().equals(output.toString()) ? "" : " " + in.path())
            + ": writing it would destroy an input; choose another output file");
      }
    }
    if (Files.isDirectory(target)) {
      throw new UncheckedIOException("cannot write " + output + ": it is a directory", new IOException());
    }
    if (Files.exists(target) && !Files.isRegularFile(target)) {
      if (!Files.isWritable(target)) {
        throw new UncheckedIOException("cannot write " + output + ": permission denied", new AccessDeniedException(output.toString()));
      }
      return;
    }
    Path dir = parentDirectory(output, target);
    try {
      Path probe = createTemp(dir, target.getFileName().toString());
      Files.delete(probe);
    } catch (IOException e) {
      throw failure(output, e);
    }
  }

  /** Writes {@code bytes} to {@code target} (see the class comment). */
  static void write(Path target, byte[] bytes) {
    write(target, out -> out.write(bytes));
  }

  /** Writes {@code text} as UTF-8. */
  static void write(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes what {@code body} produces to {@code output} (see the class comment). */
  static void write(Path output, Body body) {
    Path target = resolve(output);
    if (Files.isDirectory(target)) {
      throw new UncheckedIOException("cannot write " + output + ": it is a directory", new IOException());
    }
    try {
      if (Files.exists(target) && !Files.isRegularFile(target)) {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          body.write(out);
        }
        return;
      }
    } catch (IOException e) {
      throw failure(output, e);
    }
    Path dir = parentDirectory(output, target);
    Path temp = null;
    try {
      temp = createTemp(dir, target.getFileName().toString());
      keepPermissions(target, temp);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        body.write(out);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw failure(output, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: the write already failed
        }
        PENDING.remove(temp);
      }
    }
  }

  /** Creates {@code dir} and its parents (following a link to a directory). */
  static void createDirectories(Path dir) {
    try {
      Path real = resolve(dir);
      if (!Files.isDirectory(real)) {
        Files.createDirectories(real);
      }
    } catch (IOException e) {
      throw failure(dir, notADirectory(dir, e));
    }
  }

  /**
   * Lets writes finish after Ctrl-C: the cleanup of temporary files waits (up to 60 s) until
   * {@code done} is counted down or {@link #finished} is called.
   */
  static void finishBeforeCleanup(CountDownLatch done) {
    FINISHING.add(done);
  }

  static void finished(CountDownLatch done) {
    FINISHING.remove(done);
  }

  /** A failure message naming {@code target} (or the file the exception names) and the reason. */
  static UncheckedIOException failure(Path target, IOException e) {
    String what = target != null ? target.toString()
        : e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : "a file";
    String reason = switch (e) {
      case NoSuchFileException x -> "no such file or directory";
      case AccessDeniedException x -> "permission denied";
      case NotDirectoryException x -> (x.getFile() != null && target != null && !x.getFile().equals(target.toString())
          ? x.getFile() + " is " : "") + "not a directory";
      case FileAlreadyExistsException x -> "it exists and is not a directory";
      case FileSystemException x when x.getReason() != null -> x.getReason();
      default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    };
    return new UncheckedIOException("cannot write " + what + ": " + reason, e);
  }

  /**
   * Where {@code path} really is: a symbolic link (also a dangling one, whose target is then
   * created) is followed to its target; otherwise the absolute path.
   */
  static Path resolve(Path path) {
    Path p = path.toAbsolutePath();
    if (Files.exists(p)) {   // follows links, also /proc's (/dev/stdout on a pipe: no real path, but a file)
      try {
        return p.toRealPath();
      } catch (IOException e) {
        return p;
      }
    }
    for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
      try {
        p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
      } catch (IOException | UnsupportedOperationException e) {
        return p;
      }
    }
    return p;
  }

  /** True if {@code target} (resolved) and {@code input} are the same existing file. */
  private static boolean sameFile(Path target, Path input) {
    try {
      return Files.exists(target) && Files.exists(input) && Files.isSameFile(target, input);
    } catch (IOException e) {
      return false;
    }
  }

  /** The directory of {@code target}, created with its parents if missing. */
  private static Path parentDirectory(Path output, Path target) {
    Path dir = target.getParent();
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
      }
      return dir;
    } catch (IOException e) {
      throw failure(output, notADirectory(dir, e));
    }
  }

  /**
   * {@code Files.createDirectories} over a regular file fails with a FileAlreadyExistsException
   * (or, further down, an exception without a reason); say which component is not a directory.
   */
  private static IOException notADirectory(Path dir, IOException e) {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) ? e : new NotDirectoryException(p.toString());
      }
    }
    return e;
  }

  /**
   * A new hidden file {@code .NAME.<random>.tmp} in {@code dir}, created like any new file (so
   * the umask applies) and registered for the cleanup. Only the start of a long NAME is used,
   * so the temporary name is never longer than the longest allowed name.
   */
  private static Path createTemp(Path dir, String name) throws IOException {
    String stem = name.codePointCount(0, name.length()) > TEMP_STEM
        ? name.substring(0, name.offsetByCodePoints(0, TEMP_STEM)) : name;
    for (int attempt = 0; ; attempt++) {
      Path temp = dir.resolve("." + stem + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      PENDING.add(temp);
      try {
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        PENDING.remove(temp);
        if (attempt > 100) {
          throw e;
        }
      } catch (IOException e) {
        PENDING.remove(temp);
        throw e;
      }
    }
  }

  /** A file that replaces {@code target} keeps its permissions (a new one gets the umask's). */
  private static void keepPermissions(Path target, Path temp) {
    try {
      PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Files.getFileAttributeView(temp, PosixFileAttributeView.class).setPermissions(old.permissions());
    } catch (IOException | UnsupportedOperationException e) {
      // no old file, or no POSIX permissions here: the new file's own mode stays
    }
  }

  /** Removes the temporary files of unfinished writes (the shutdown hook; tests call it). */
  static void cleanUp() {
    for (CountDownLatch done : FINISHING) {
      try {
        done.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Path temp : PENDING) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the JVM is exiting; nothing else to do
      }
    }
  }
}
