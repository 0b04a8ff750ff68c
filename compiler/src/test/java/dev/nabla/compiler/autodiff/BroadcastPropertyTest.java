package dev.nabla.compiler.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random NumPy broadcasts of up to rank 4 (dims 1 to 3, operands missing leading dims or having
 * 1s anywhere, three operands in one fused loop, explicit expands, a reduction along a random
 * axis of the result): the generated double code passes the finite-difference check and agrees
 * with the reference evaluator ({@link DerivativeChecks#generated}). Seeded, so a failure is
 * reproducible from its name.
 */
class BroadcastPropertyTest {
  static Stream<Arguments> models() {
    return IntStream.range(0, 24).mapToObj(seed -> {
      Random r = new Random(seed);
      int rank = 1 + r.nextInt(4);
      int[] out = new int[rank];
      for (int k = 0; k < rank; k++) {
        out[k] = 1 + r.nextInt(3);
      }
      String a = shape(operand(out, r.nextInt(rank + 1), r));
      String b = shape(operand(out, r.nextInt(rank + 1), r));
      String c = shape(operand(out, out.length, r)); // of full rank, so that Y has the rank of out
      String dims = IntStream.of(out).mapToObj(String::valueOf).collect(Collectors.joining(", "));
      String y = switch (r.nextInt(4)) {
        case 0 -> "tanh(A * B + C)";
        case 1 -> "max(A, B) * (C - B)";
        case 2 -> "expand(A, " + dims + ") * sigmoid(B) + C";
        default -> "(A - B) / (C * C + 1)";
      };
      int axis = r.nextInt(rank) - (r.nextBoolean() ? rank : 0);
      String source = "model P {\n"
          + "  param A" + a + " = normal(0, 1); input B" + b + "; param C" + c + " = normal(0, 1);\n"
          + "  input R[" + dims + "];\n"
          + "  Y = " + y + ";\n"
          + "  loss L = sum(Y * R) + sum(sum(Y * Y, axis=" + axis + "));\n"
          + "  output L;\n}\n";
      return Arguments.of("seed " + seed + ": " + a + " " + b + " " + c + " -> [" + dims + "] " + y, source);
    });
  }

  /** A shape of {@code rank} that broadcasts to {@code out}: a suffix of it, each dim its own or 1. */
  private static List<Integer> operand(int[] out, int rank, Random r) {
    List<Integer> dims = new ArrayList<>();
    for (int k = out.length - rank; k < out.length; k++) {
      dims.add(r.nextInt(3) == 0 ? 1 : out[k]);
    }
    return dims;
  }

  private static String shape(List<Integer> dims) {
    return dims.isEmpty() ? "" : dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void generatedCodeOfRandomBroadcastsPassesTheFiniteDifferenceCheck(String name, String source) {
    DerivativeChecks.generated(name, source, -1, 1);
  }
}
