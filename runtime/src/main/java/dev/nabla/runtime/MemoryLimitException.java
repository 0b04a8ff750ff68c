package dev.nabla.runtime;

/**
 * Something asked for (a data set, a model's params, a batch's buffers, an array in a file) needs
 * more memory than the JVM's heap can give, or more elements than a Java array holds. Thrown
 * before anything is allocated, instead of an {@link OutOfMemoryError} or an overflowed size.
 *
 * <p>A {@link NablaDataException}, so every caller that reports a user's bad input reports this
 * the same way (the {@code nabla} commands: the message and exit code 1). The message says what
 * was asked for, what is available, and how to get past it.
 */
public class MemoryLimitException extends NablaDataException {
  private static final long serialVersionUID = 1L;

  /** A limit error with a user-facing message. */
  public MemoryLimitException(String message) {
    super(message);
  }
}
