package dev.nabla.compiler.codegen;

import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.UnaryFn;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backward pass of {@code maxpool2d(relu(z))}, {@code maxpool2d_grad(relu(z), dy) * step(z)},
 * in one pass of the runtime's {@code Pools.maxScatterStep} instead of a scatter into a buffer
 * and a mask loop over it. The product's statement runs the kernel; the scatter, read only by the
 * product, is {@link Storage#ABSORBED} (no buffer of its own); {@code step(z)} is inline in the
 * product as before. The kernel multiplies each scattered element by {@code Scalars.step(z)} as
 * the loop did, so the bits are the same.
 *
 * <p>Only where the kernel can read the operands: z in an array, the product in a buffer of its
 * own in the scatter's pass, all per instance.
 */
final class PoolStepFusion {
  /** A masked scatter: {@code scatter * step(z)}, the product at whose statement it runs. */
  record Site(Node scatter, Node z) {}

  private final Map<Node, Site> sites = new IdentityHashMap<>();

  private PoolStepFusion() {}

  /** No fused scatters. */
  static PoolStepFusion none() {
    return new PoolStepFusion();
  }

  /** The fused scatters among {@code nodes}, their storage decided. */
  static PoolStepFusion find(Plan plan, Map<Node, Storage> storage, List<Node> nodes) {
    PoolStepFusion found = new PoolStepFusion();
    for (Node m : nodes) {
      if (!(m.op() instanceof Binary b && b.fn() == BinaryFn.MUL) || !m.batched() || !buffered(storage.get(m))) {
        continue;
      }
      for (int k = 0; k < 2; k++) {
        Node scatter = m.input(k);
        Node mask = m.input(1 - k);
        if (scatter.op() instanceof Pool p && p.kind() == Pool.Kind.MAX_SCATTER && scatter.batched()
            && storage.get(scatter) == storage.get(m) && plan.consumers(scatter).size() == 1 && !plan.isRoot(scatter)
            && mask.op() instanceof Unary u && u.fn() == UnaryFn.STEP && storage.get(mask) == Storage.INLINE
            && inArray(storage.get(mask.input(0))) && mask.input(0).batched()
            && mask.input(0).shape().equals(m.shape()) && scatter.shape().equals(m.shape())) {
          found.sites.put(m, new Site(scatter, mask.input(0)));
          storage.put(scatter, Storage.ABSORBED);
          break;
        }
      }
    }
    return found;
  }

  /** The masked scatter computed at {@code n}'s statement, or null. */
  Site at(Node n) {
    return sites.get(n);
  }

  private static boolean buffered(Storage s) {
    return s == Storage.FORWARD || s == Storage.BACKWARD;
  }

  private static boolean inArray(Storage s) {
    return s == Storage.INPUT || s == Storage.FORWARD || s == Storage.BACKWARD || s == Storage.ALIAS;
  }
}
