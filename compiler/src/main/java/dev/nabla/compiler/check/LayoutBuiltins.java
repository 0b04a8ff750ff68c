package dev.nabla.compiler.check;

import dev.nabla.compiler.diag.Limits;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The lowering rules of the layout built-ins at any rank: {@code concat} and {@code stack}
 * with {@code axis=}, {@code transpose(a, perm)}, {@code reshape}, {@code flatten} and
 * {@code pad} (the derivative of slicing). Each checks its arguments, reporting the shapes and
 * the axis in the model's terms, before it asks the graph for a node.
 */
final class LayoutBuiltins {
  private LayoutBuiltins() {}

  static final String FLATTEN = "flatten";

  /**
   * {@code concat(a, b, ..., axis=0)}: parts of one rank whose other axes agree; without an axis,
   * vectors and scalars may be mixed.
   */
  static Node concat(Call c) {
    List<Node> parts = c.rest();
    if (parts.isEmpty()) {
      return c.error("'" + c.function() + "' needs at least one value to join");
    }
    if (!c.has("axis") && parts.stream().allMatch(p -> p.shape().rank() <= 1)
        && parts.stream().anyMatch(p -> p.shape().rank() == 1)) {
      // Vectors and scalars end to end (a scalar is one element), as NumPy's hstack.
      parts = parts.stream().map(p -> c.g().reshape(p, Shape.of(p.shape().size()))).toList();
    }
    Shape first = parts.getFirst().shape();
    if (first.isScalar()) {
      return c.error("'" + c.function() + "' joins values along an axis, but " + part(c, 0)
          + " is a scalar; stack(...) makes a vector of scalars");
    }
    for (int i = 1; i < parts.size(); i++) {
      if (parts.get(i).shape().rank() != first.rank()) {
        return c.error("'" + c.function() + "' needs values of one rank, but " + part(c, 0) + " is " + first
            + " and " + part(c, i) + " is " + parts.get(i).shape());
      }
    }
    int written = c.has("axis") ? c.integer("axis") : 0;
    Integer axis = Axes.normalize(written, first.rank());
    if (axis == null) {
      return c.errorAt("axis", Axes.outOfRange(c.function(), written, part(c, 0), first));
    }
    long length = 0;
    for (int i = 0; i < parts.size(); i++) {
      Shape s = parts.get(i).shape();
      for (int k = 0; k < first.rank(); k++) {
        if (k != axis && s.dim(k) != first.dim(k)) {
          return c.error("'" + c.function() + "' along axis " + axis + " needs the other axes to agree, but "
              + part(c, 0) + " is " + first + " and " + part(c, i) + " is " + s + " (axis " + k + ")");
        }
      }
      length += s.dim(axis);
    }
    long elements = length * (first.size() / first.dim(axis));
    if (elements > Limits.MAX_ELEMENTS) {
      return first.rank() == 1 ? Builtins.tooLong(c, elements) : tooBig(c, elements);
    }
    return c.g().concat(parts, axis);
  }

  /** {@code stack(a, b, ..., axis=0)}: parts of one shape along a new axis. */
  static Node stack(Call c) {
    List<Node> parts = c.rest();
    if (parts.isEmpty()) {
      return c.error("'" + c.function() + "' needs at least one value to stack");
    }
    Shape first = parts.getFirst().shape();
    for (int i = 1; i < parts.size(); i++) {
      if (!parts.get(i).shape().equals(first)) {
        return c.error("'" + c.function() + "' needs values of one shape, but " + part(c, 0) + " is " + first
            + " and " + part(c, i) + " is " + parts.get(i).shape());
      }
    }
    int rank = first.rank() + 1;
    int written = c.has("axis") ? c.integer("axis") : 0;
    Integer axis = Axes.normalize(written, rank);
    if (axis == null) {
      return c.errorAt("axis", "'" + c.function() + "' has no axis " + written + " for stacking values of shape "
          + first + " (the result's axes are 0 to " + (rank - 1) + ", or -" + rank + " to -1 from the end)");
    }
    if (rank > Shape.MAX_RANK) {
      return c.error("'" + c.function() + "' would make a value of rank " + rank + "; values have rank 0 to " + Shape.MAX_RANK);
    }
    long elements = (long) first.size() * parts.size();
    if (elements > Limits.MAX_ELEMENTS) {
      return tooBig(c, elements);
    }
    return c.g().stack(parts, axis);
  }

  /** {@code transpose(a, perm)}; without perm the axes reversed, as NumPy's. */
  static Node transpose(Call c) {
    Shape s = c.shape("a");
    int rank = s.rank();
    List<Integer> perm = new ArrayList<>();
    if (!c.has("perm")) {
      for (int k = rank - 1; k >= 0; k--) {
        perm.add(k);
      }
      return c.g().permute(c.node("a"), perm);
    }
    boolean[] seen = new boolean[rank];
    boolean ok = c.list("perm").size() == rank;
    for (int written : c.list("perm")) {
      Integer k = Axes.normalize(written, rank);
      ok &= k != null && !seen[k];
      if (k != null) {
        seen[k] = true;
      }
      perm.add(k);
    }
    if (!ok) {
      return c.errorAt("perm", "'" + c.function() + "' needs a permutation of the " + rank
          + (rank == 1 ? " axis of " : " axes of ") + c.describe("a") + ", which is " + s
          + ", each axis once, not " + c.list("perm"));
    }
    return c.g().permute(c.node("a"), perm);
  }

  /** {@code reshape(a, [d1, d2, ...])}, row-major, one -1 standing for what is left. */
  static Node reshape(Call c) {
    Shape from = c.shape("a");
    List<Integer> dims = new ArrayList<>(c.list("shape"));
    int unknown = -1;
    long known = 1;
    for (int k = 0; k < dims.size(); k++) {
      int d = dims.get(k);
      if (d == -1 && unknown < 0) {
        unknown = k;
      } else if (d == -1) {
        return c.errorAt("shape", "'" + c.function() + "' allows one -1 in the new shape, but " + dims + " has more");
      } else if (d < 1) {
        return c.errorAt("shape", "'" + c.function() + "' needs sizes >= 1 (or one -1) in the new shape, not " + d
            + " in " + dims);
      } else {
        known *= d;
      }
    }
    String source = c.describe("a") + ", which is " + from + " (" + elements(from.size()) + "),";
    if (unknown >= 0) {
      if (known > from.size() || from.size() % known != 0) {
        return c.errorAt("shape", "'" + c.function() + "' cannot make " + source + " into " + dims + ": "
            + from.size() + " is not a multiple of " + known);
      }
      dims.set(unknown, (int) (from.size() / known));
    } else if (known != from.size()) {
      return c.errorAt("shape", "'" + c.function() + "' cannot make " + source + " into " + dims + " ("
          + elements(known) + ")");
    }
    if (dims.size() > Shape.MAX_RANK) {
      return c.errorAt("shape", "'" + c.function() + "' would make a value of rank " + dims.size()
          + "; values have rank 0 to " + Shape.MAX_RANK);
    }
    return c.g().reshape(c.node("a"), new Shape(dims));
  }

  /** {@code flatten(a)}: the elements of a as one vector, row-major. */
  static Node flatten(Call c) {
    return c.g().reshape(c.node("a"), Shape.of(c.shape("a").size()));
  }

  /** {@code pad(v, before, after)}: per axis, a number each (a vector) or lists of them. */
  static Node pad(Call c) {
    Shape s = c.shape("v");
    if (s.isScalar()) {
      return c.error("'" + c.function() + "' needs a vector or a tensor, but " + c.is("v"));
    }
    for (String amount : List.of("before", "after")) {
      List<Integer> amounts = c.list(amount);
      if (amounts.size() != s.rank()) {
        return c.errorAt(amount, "'" + c.function() + "' needs one " + amount + " amount per axis of "
            + c.describe("v") + ", which is " + s + ", not " + amounts);
      }
      for (int d : amounts) {
        if (d < 0) {
          return c.errorAt(amount, "'" + c.function() + "' needs " + amount + " >= 0, not " + d);
        }
      }
    }
    long elements = 1;
    for (int k = 0; k < s.rank(); k++) {
      elements *= (long) c.list("before").get(k) + s.dim(k) + c.list("after").get(k);
      if (elements > Limits.MAX_ELEMENTS) {
        break;
      }
    }
    if (elements > Limits.MAX_ELEMENTS) {
      return s.rank() == 1 ? Builtins.tooLong(c, elements) : tooBig(c, elements);
    }
    return c.g().padAxes(c.node("v"), c.list("before"), c.list("after"));
  }

  private static String part(Call c, int i) {
    return ExprText.of(c.restExprs().get(i));
  }

  private static String elements(long n) {
    return n + (n == 1 ? " element" : " elements");
  }

  private static Node tooBig(Call c, long elements) {
    return c.error("'" + c.function() + "' would make a value of " + elements
        + " elements; the limit is " + Limits.MAX_ELEMENTS + " (2^28) per value");
  }
}
