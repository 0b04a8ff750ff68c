package dev.nabla.compiler.diag;

/** How names from a user's source appear in messages. */
public final class Quote {
  private Quote() {}

  /**
   * A name in single quotes. A name longer than {@link Limits#MAX_NAME_LENGTH} (which is an error
   * itself) is shown by its start and end and its length, so that a name of a million characters
   * does not make a message of a megabyte.
   */
  public static String name(String name) {
    if (name.length() <= Limits.MAX_NAME_LENGTH) {
      return "'" + name + "'";
    }
    return "'" + name.substring(0, 24) + "..." + name.substring(name.length() - 8) + "' ("
        + name.length() + " characters)";
  }
}
