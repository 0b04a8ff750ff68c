package dev.nabla.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers only ever see the old or the complete new content: the bytes go
 * to a hidden temporary file in the same directory ({@code .NAME.<random>.tmp}), which is flushed
 * to disk and then renamed over the target (an atomic move where the file system supports it).
 * On any failure the temporary file is deleted and the target is untouched.
 */
final class AtomicFiles {
  /** Writes the content to a stream, which it must not close. */
  @FunctionalInterface
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  private AtomicFiles() {
  }

  /** Writes {@code target} atomically; failures are {@link UncheckedIOException}s naming the file. */
  static void write(Path target, Body body) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      tmp = createTemp(dir, abs.getFileName().toString());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        body.write(out);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + describe(e), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the write already failed
        }
      }
    }
  }

  private static Path createTemp(Path dir, String name) throws IOException {
    // Only the start of a long name: the temporary name must stay within NAME_MAX (255 bytes).
    String stem = name.codePointCount(0, name.length()) > 32 ? name.substring(0, name.offsetByCodePoints(0, 32)) : name;
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve("." + stem + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  static String describe(IOException e) {
    String kind = switch (e) {
      case java.nio.file.NoSuchFileException x -> "no such file or directory";
      case java.nio.file.AccessDeniedException x -> "permission denied";
      default -> null;
    };
    return kind != null ? kind + (e.getMessage() != null ? " (" + e.getMessage() + ")" : "")
        : e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
  }
}
