package dev.nabla.runtime;

/**
 * A data file (a {@code .npy} or {@code .npz}, or the arrays in one) is unusable.
 *
 * <p>The message is meant for the user: it names the file and, where there is one,
 * the entry, and says what is wrong, e.g.
 * {@code "params.npz: entry 'W1': data is truncated (needs 8192 bytes, has 4000)"}.
 */
public class NablaDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A data error with a user-facing message. */
  public NablaDataException(String message) {
    super(message);
  }

  /** A data error with a user-facing message and the I/O or format error that caused it. */
  public NablaDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
