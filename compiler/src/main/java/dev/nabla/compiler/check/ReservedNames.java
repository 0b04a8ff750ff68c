package dev.nabla.compiler.check;

import java.util.Set;

/**
 * Names a model may not give to a value, a param, a def or a dim: the built-in functions, and
 * the words version 2 of the language takes. A version 1 file that used one of version 2's
 * words as a name is the one kind of v1 file that v2 rejects (the contract says so), so the
 * message says that the name must be renamed, not merely that it is taken.
 */
final class ReservedNames {
  private ReservedNames() {}

  /**
   * Version 2's built-ins and keywords, whether or not this build defines each one yet: a name a
   * file may use today must not become an error when the built-in lands.
   */
  static final Set<String> VERSION_2 = Set.of(
      "dim", "where", "stack", "reshape", "flatten", "transpose",
      "tan", "sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "erf", "log1p",
      "expm1", "log_sigmoid", "clip", "floor", "ceil", "round", "logsumexp",
      "conv1d", "conv2d", "maxpool1d", "maxpool2d", "avgpool1d", "avgpool2d", "previous");

  /**
   * Why {@code name} cannot name a {@code what} ("value", "param", "def", "dim", ...), or null
   * when it can.
   */
  static String refusal(String name, String what) {
    if (VERSION_2.contains(name)) {
      String word = name.equals("dim") ? "a keyword" : "a built-in function";
      return "'" + name + "' is " + word + " in version 2 of the language; rename this " + what;
    }
    if (Builtins.get(name) != null) {
      return "'" + name + "' is a built-in function; give this " + what + " another name";
    }
    return null;
  }
}
