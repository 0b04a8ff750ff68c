package dev.nabla.compiler.codegen;

import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Which adjacent axes of a loop nested per axis ({@link LoopPolicy#nested}) can run as one loop:
 * those that every operand of the fused expression either has (with the value's dims) or is
 * copied along. {@code [h, T, T] + mask[T, T]} loops over h and T*T, {@code [O, H, W] + b[O, 1,
 * 1]} over O and H*W: longer inner loops, which is what C2 vectorizes. The index of a group is
 * one variable at its last axis (the others 0): in the value and in every operand that has the
 * group's axes, consecutive elements are then consecutive in memory.
 */
final class AxisGroups {
  private AxisGroups() {}

  /**
   * The groups of axes (each a list of axes with a dim other than 1, in order) for the loop of
   * the fused expression {@code root}: merged where every operand's pattern allows, one axis per
   * group where the expression reads a broadcast through another (no merging is attempted).
   */
  static List<List<Integer>> of(Node root, Plan plan) {
    Shape shape = root.shape();
    List<Shape> patterns = new ArrayList<>();
    boolean direct = collect(root, shape, plan, patterns);
    List<List<Integer>> groups = new ArrayList<>();
    int previous = -1;
    for (int k = 0; k < shape.rank(); k++) {
      if (shape.dim(k) == 1) {
        continue;
      }
      if (direct && previous >= 0 && sameCopies(patterns, previous, k)) {
        groups.getLast().add(k);
      } else {
        groups.add(new ArrayList<>(List.of(k)));
      }
      previous = k;
    }
    return groups;
  }

  private static boolean sameCopies(List<Shape> patterns, int p, int q) {
    for (Shape aligned : patterns) {
      if ((aligned.dim(p) == 1) != (aligned.dim(q) == 1)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds the aligned shape of every operand that {@code m} (indexed like the root, of shape
   * {@code shape}) reads broadcast; false when one is read through another broadcast (a chain,
   * whose patterns are not the root's).
   */
  private static boolean collect(Node m, Shape shape, Plan plan, List<Shape> patterns) {
    if (!m.shape().equals(shape)) {
      return false;
    }
    if (m.op() instanceof Broadcast br) {
      patterns.add(br.aligned());
      return plan.storage(m.input(0)) != Plan.Storage.INLINE;
    }
    for (Node in : m.inputs()) {
      boolean inline = plan.storage(in) == Plan.Storage.INLINE;
      if (in.shape().equals(shape)) {
        if (inline && !collect(in, shape, plan, patterns)) {
          return false;
        }
      } else if (!in.shape().isScalar()) {
        if (inline) {
          return false;
        }
        patterns.add(in.shape().padded(shape.rank()));
      }
    }
    return true;
  }
}
