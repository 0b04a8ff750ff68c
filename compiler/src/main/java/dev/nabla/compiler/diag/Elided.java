package dev.nabla.compiler.diag;

import java.util.List;

/**
 * Long lists in messages (a chain of def calls, a cycle through values): the first and last few
 * items, and how many were left out between them. A chain through 30,000 defs is then a line,
 * not 130 KB, and still shows where it starts and where it ends.
 */
public final class Elided {
  private Elided() {}

  /** Items shown at each end of a list that is cut. */
  public static final int SHOWN_AT_EACH_END = 3;

  /** The items joined by {@code separator}; past 2 * 3 + 1 items, only 3 at each end. */
  public static String join(String separator, List<String> items) {
    if (items.size() <= 2 * SHOWN_AT_EACH_END + 1) {
      return String.join(separator, items);
    }
    int left = items.size() - 2 * SHOWN_AT_EACH_END;
    return String.join(separator, items.subList(0, SHOWN_AT_EACH_END))
        + separator + "... " + left + " more ..." + separator
        + String.join(separator, items.subList(items.size() - SHOWN_AT_EACH_END, items.size()));
  }
}
