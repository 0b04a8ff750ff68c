package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Output {@code index} of a {@link Recurrence}: the final value of a state (an index below the number
 * of states) or a collected {@code [T, ...]} value, read from the recurrence's bundle at
 * {@code offset} with {@code shape}. Its one input is the recurrence node; {@code name} is the
 * state's or collected value's name in the loop.
 *
 * <p>Its adjoint does not flow through a rule of its own ({@link #vjp} gives none): reverse mode
 * gathers the adjoints of all of a recurrence's outputs and builds one backward recurrence from
 * them (see {@link Recurrence}).
 */
public record RecurrenceOutput(int index, int offset, Shape shape, String name) implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    if (inputs.size() != 1 || inputs.getFirst().rank() != 1 || offset + shape.size() > inputs.getFirst().dim(0)) {
      throw Op.badShapes("recurrence output " + index, inputs);
    }
    return shape;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    return Arrays.copyOfRange(inputs.getFirst(), offset, offset + shape.size());
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    List<Node> none = new ArrayList<>();
    none.add(null); // see the class comment: ReverseMode handles the recurrence as a whole
    return none;
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return "recurrence output " + index + " " + name;
  }
}
