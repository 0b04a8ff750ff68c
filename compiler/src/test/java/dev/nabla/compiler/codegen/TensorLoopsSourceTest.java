package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loops over values of rank 3 are specialised per shape: nested per group of axes with constant
 * bounds, each operand indexed by a sum of its own axes' terms, no division or remainder of an
 * index, and adjacent axes that every operand has (or is copied along) run as one loop.
 */
class TensorLoopsSourceTest {
  static final String MODEL =
      """
      model A {
        input S[4, 8, 8];
        input M[8, 8];
        param b[4, 1, 1];
        param w[8];
        target D[4, 8, 8];
        Y = tanh(S + M) * b + S * w;
        output O = sum(Y, axis=1) + max(Y, axis=-1);
        loss L = l2(Y, D);
      }
      """;

  @Test
  void broadcastLoopsAreNestedPerGroupOfAxesWithoutDivisions() {
    List<JavaFile> files =
        CodeGenerator.generate(Compiled.of(MODEL).derivation, new CodeGenerator.Options("demo", Precision.FLOAT));
    String forward = files.stream().filter(f -> f.typeSpec().name().equals("AForward")).findFirst().orElseThrow()
        .toString();
    // S + M: M is copied along the first axis, the last two run as one loop of 64
    assertThat(forward).contains("for (int ix0 = 0; ix0 < 4; ix0++)", "for (int ix2 = 0; ix2 < 64; ix2++)",
        "S[b * 256 + ix0 * 64 + ix2] + M[b * 64 + ix2]");
    // * w ([8], the last axis only): three loops, w read at the last axis' index
    assertThat(forward).contains("for (int ix1 = 0; ix1 < 8; ix1++)", "model.w[ix2]");
    for (JavaFile f : files) {
      assertThat(f.toString().lines().filter(l -> l.contains("ix0") || l.contains("ix1") || l.contains("ix2")))
          .as(f.typeSpec().name())
          .noneMatch(l -> l.matches(".*\\[[^\\]]*[/%][^\\]]*\\].*"));
    }
  }
}
