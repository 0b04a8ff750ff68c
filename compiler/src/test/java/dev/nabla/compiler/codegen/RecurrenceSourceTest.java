package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated code of a loop does not grow with the number of steps T (issue 17): the LSTM
 * written with T = 8 and T = 64 gives the same classes but for the numbers in them (T itself,
 * and sizes that have T as a factor), so the code's size and the time to compile it are those
 * of one step.
 */
class RecurrenceSourceTest {
  /** An LSTM over {@code steps} steps of 5 inputs, hidden 16, collecting its hidden states (also {@code StepSavesTest}'s). */
  static String lstm(int steps) {
    return """
        model Lstm {
          dim T = %d; dim H = 16;
          input xs[T, 5];
          target d[4];
          param Wx[4 * H, 5] = xavier;  param Wh[4 * H, H] = xavier;  param b[4 * H];
          param V[4, H] = xavier;  param c2[4];
          for x in xs {
            state h[H] = 0;
            state c[H] = 0;
            z = Wx @ x + Wh @ h + b;
            i = sigmoid(z[0:H]);  f = sigmoid(z[H:2*H]);  g = tanh(z[2*H:3*H]);  o = sigmoid(z[3*H:]);
            c = f * c + i * g;
            h = o * tanh(c);
            collect hs = h;
          }
          output Y = softmax(V @ h + c2);
          output S = hs;
          loss L = cross_entropy(Y, d);
        }
        """.formatted(steps);
  }

  private static String source(int steps) {
    List<JavaFile> files = CodeGenerator.generate(Compiled.of(lstm(steps)).derivation,
        new CodeGenerator.Options("p", Precision.FLOAT));
    StringBuilder all = new StringBuilder();
    files.forEach(f -> all.append(f));
    return all.toString();
  }

  @Test
  void theSourceIsTheSameForAnyNumberOfSteps() {
    String eight = source(8);
    String sixtyFour = source(64);
    assertThat(eight.replaceAll("[0-9]+", "#")).isEqualTo(sixtyFour.replaceAll("[0-9]+", "#"));
    assertThat(Math.abs(sixtyFour.length() - eight.length())).as("characters more at T = 64")
        .isLessThan(200);
    assertThat(eight).contains("for (int t = 0; t < 8; t++)");
  }
}
