package dev.nabla.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's float-twin generator: what it converts, what it leaves, and when it writes. */
class FloatTwinsTest {
  @TempDir
  Path tmp;

  private static String body(String twin) {
    assertThat(twin).startsWith(FloatTwins.GENERATED + " from KF64.java.\n// Do not edit: change KF64.java");
    return twin.substring(twin.indexOf('\n', twin.indexOf('\n') + 1) + 1);
  }

  @Test
  void convertsTheElementTypeAndItsNames() {
    String source = """
        final class KF64 {
          static double dot(double[] a, DoubleVector v, VectorSpecies<Double> s) {
            double max = Double.NEGATIVE_INFINITY;
            java.util.Arrays.fill(a, 0d);
            return GemmF64.one() + 1.5D + 2e-3d + 0x1F + 1.0;
          }
        }
        """;
    assertThat(body(FloatTwins.twin(source, "KF64.java"))).isEqualTo("""
        final class KF32 {
          static float dot(float[] a, FloatVector v, VectorSpecies<Float> s) {
            float max = Float.NEGATIVE_INFINITY;
            java.util.Arrays.fill(a, 0f);
            return GemmF32.one() + 1.5f + 2e-3f + 0x1F + 1.0;
          }
        }
        """);
  }

  @Test
  void wideDoublesStayDouble() {
    String source = """
        @Wide double s = 0;
        double e = (double) Math.exp(x[j] - (@Wide double) m);
        private static @Wide double total(@Wide double[] moments, double x) {}
        """;
    assertThat(body(FloatTwins.twin(source, "KF64.java"))).isEqualTo("""
        @Wide double s = 0;
        float e = (float) Math.exp(x[j] - (@Wide double) m);
        private static @Wide double total(@Wide double[] moments, float x) {}
        """);
  }

  @Test
  void commentsFollowButLiteralsDoNot() {
    String source = """
        /** The double kernels of {@link #f(double[])}; sums in {@code @Wide double}. */
        // doubles in, doubles out (VectorGemmF64)
        String s = "double \\" double"; char c = '"'; String t = \"""
            double
            \""";
        """;
    assertThat(body(FloatTwins.twin(source, "KF64.java"))).isEqualTo("""
        /** The float kernels of {@link #f(float[])}; sums in {@code @Wide double}. */
        // floats in, floats out (VectorGemmF32)
        String s = "double \\" double"; char c = '"'; String t = \"""
            double
            \""";
        """);
  }

  @Test
  void writesTwinsOnlyWhenTheyChangeAndDeletesOrphans() throws IOException {
    Path src = tmp.resolve("src/p");
    Path out = tmp.resolve("out");
    Files.createDirectories(src);
    Files.writeString(src.resolve("KF64.java"), "package p; final class KF64 { double x; }\n");
    Files.writeString(src.resolve("Other.java"), "package p; final class Other { double x; }\n");

    assertThat(FloatTwins.generate(tmp.resolve("src"), out)).isEqualTo(1);
    Path twin = out.resolve("p/KF32.java");
    assertThat(body(Files.readString(twin))).isEqualTo("package p; final class KF32 { float x; }\n");
    assertThat(out.resolve("p/Other.java")).doesNotExist();
    assertThat(FloatTwins.generate(tmp.resolve("src"), out)).isZero();

    Files.writeString(src.resolve("KF64.java"), "package p; final class KF64 { double y; }\n");
    assertThat(FloatTwins.generate(tmp.resolve("src"), out)).isEqualTo(1);
    assertThat(Files.readString(twin)).endsWith("{ float y; }\n");

    Files.delete(src.resolve("KF64.java"));
    assertThat(FloatTwins.generate(tmp.resolve("src"), out)).isZero();
    assertThat(twin).doesNotExist();
  }

  @Test
  void aHandWrittenTwinIsAnError() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("KF64.java"), "final class KF64 {}\n");
    Files.writeString(src.resolve("KF32.java"), "final class KF32 {}\n");
    assertThatThrownBy(() -> FloatTwins.generate(src, tmp.resolve("out")))
        .hasMessageContaining("KF32.java is written by hand").hasMessageContaining("delete it");
  }
}
