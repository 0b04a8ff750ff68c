package dev.nabla.compiler.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the files the commands produce: through a temporary file in the same directory and a
 * rename, so that a failed or interrupted run leaves no half-written file. A failure is an
 * {@link UncheckedIOException} whose message names the file and says what went wrong; the
 * command line prints it and exits with 1.
 */
final class Outputs {
  private Outputs() {}

  static void write(Path target, byte[] bytes) {
    Path abs = target.toAbsolutePath();
    Path temp = null;
    try {
      Path dir = abs.getParent();
      temp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
      Files.write(temp, bytes);
      try {
        Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException e) {
      throw failure(target, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: the write already failed
        }
      }
    }
  }

  /** Creates {@code dir} and its parents. */
  static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw failure(dir, e);
    }
  }

  /** A failure message naming {@code target} (or the file the exception names) and the reason. */
  static UncheckedIOException failure(Path target, IOException e) {
    String what = target != null ? target.toString()
        : e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : "a file";
    String reason = switch (e) {
      case NoSuchFileException x -> "no such file or directory";
      case AccessDeniedException x -> "permission denied";
      case NotDirectoryException x -> "not a directory";
      case java.nio.file.FileAlreadyExistsException x -> "it exists and is not a directory";
      case FileSystemException x when x.getReason() != null -> x.getReason();
      default -> e.getMessage() != null ? e.getMessage() : e.toString();
    };
    return new UncheckedIOException("cannot write " + what + ": " + reason, e);
  }
}
