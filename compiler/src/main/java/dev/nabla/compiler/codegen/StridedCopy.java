package dev.nabla.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The loops of a layout op at any rank, specialised to one shape: a box of elements copied from
 * a source to a destination, each axis stepping both by a constant stride. Axes of length 1 are
 * left out and neighbouring axes that are contiguous in both are merged, so a slice of whole
 * rows is one loop and a permutation has one loop per axis it really moves; every bound, stride
 * and offset is a literal of the generated code.
 */
final class StridedCopy {
  private StridedCopy() {}

  private static final List<Ix.Var> VARS = Locals.AXES;

  /** One loop: its trip count and the steps of the source and destination indices. */
  private record Level(int count, int srcStride, int dstStride) {}

  /**
   * @param dims the box
   * @param srcOffset where the box starts in the source
   * @param srcStrides the source's step for each axis of the box
   * @param dstOffset where it starts in the destination
   * @param dstStrides likewise
   * @param statement the statement for one element, from its source and destination indices
   */
  static CodeBlock of(int[] dims, int srcOffset, int[] srcStrides, int dstOffset, int[] dstStrides,
      BiFunction<Ix, Ix, CodeBlock> statement) {
    List<Level> levels = new ArrayList<>();
    for (int k = 0; k < dims.length; k++) {
      if (dims[k] == 1) {
        continue;
      }
      Level next = new Level(dims[k], srcStrides[k], dstStrides[k]);
      if (!levels.isEmpty()) {
        Level last = levels.getLast();
        if (last.srcStride() == next.count() * next.srcStride() && last.dstStride() == next.count() * next.dstStride()) {
          levels.set(levels.size() - 1, new Level(last.count() * next.count(), next.srcStride(), next.dstStride()));
          continue;
        }
      }
      levels.add(next);
    }
    if (levels.size() > VARS.size()) {
      throw new IllegalStateException("internal: a layout copy of rank " + levels.size());
    }
    Ix src = Ix.of(srcOffset);
    Ix dst = Ix.of(dstOffset);
    for (int k = 0; k < levels.size(); k++) {
      src = plus(src, VARS.get(k), levels.get(k).srcStride());
      dst = plus(dst, VARS.get(k), levels.get(k).dstStride());
    }
    CodeBlock body = statement.apply(src, dst);
    for (int k = levels.size() - 1; k >= 0; k--) {
      body = LoopPolicy.loop(levels.get(k).count(), VARS.get(k), body);
    }
    return body;
  }

  /** {@code at + v * stride}, leaving out a 0 start and a stride of 1. */
  private static Ix plus(Ix at, Ix.Var v, int stride) {
    Ix step = stride == 1 ? v : v.times(stride);
    return at.isZero() ? step : at.plus(step);
  }
}
