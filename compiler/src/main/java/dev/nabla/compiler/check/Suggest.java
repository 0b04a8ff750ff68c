package dev.nabla.compiler.check;

import java.util.Collection;

/** "did you mean" hints for misspelt names, by edit distance. */
final class Suggest {
  private Suggest() {}

  /**
   * {@code "; did you mean 'relu'?"} for the closest candidate within 2 edits (and fewer edits
   * than the name has letters), else "". On a tie the candidate closest in length wins
   * ({@code rleu} is one edit from both {@code relu} and {@code elu}; a swap of letters is the
   * likelier typo), then the first alphabetically.
   */
  static String didYouMean(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int bestLength = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(name, c);
      int length = Math.abs(c.length() - name.length());
      if (d < bestDistance
          || (d == bestDistance
              && (length < bestLength || (length == bestLength && c.compareTo(best) < 0)))) {
        best = c;
        bestDistance = d;
        bestLength = length;
      }
    }
    // A "typo" that changes every letter of a short name ('Z' for 'L') is just another name.
    boolean close = bestDistance > 0 && bestDistance <= 2 && bestDistance < name.length();
    return best == null || !close ? "" : "; did you mean '" + best + "'?";
  }

  /** Edits between two names: insertions, deletions, substitutions and swaps of neighbours. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i][j - 1] + 1, d[i - 1][j] + 1), d[i - 1][j - 1] + cost);
        boolean swapped =
            i > 1
                && j > 1
                && a.charAt(i - 1) == b.charAt(j - 2)
                && a.charAt(i - 2) == b.charAt(j - 1);
        if (swapped) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
