package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A fresh JVM whose first call into the kernels is {@link Gemm#kernels()} (what every nabla
 * command does first) gets its answer. It died with an ExceptionInInitializerError while
 * {@code GemmKernels} had default methods: loading the first implementation initialized the
 * interface, whose {@code ACTIVE} read {@code KernelSelection.CHOSEN} while it was still null.
 */
class KernelsFirstCallTest {
  /** Run in the forked JVM. */
  public static void main(String[] args) {
    System.out.println(Gemm.kernels());
    float[] c = new float[64];
    Gemm.abT(8, 8, 1, new float[8], 0, new float[8], 0, c, 0, new float[8], 0, Gemm.Act.RELU, c, 0);
    System.out.println("ok");
  }

  @Test
  void kernelsAsTheFirstCallOfAJvm() throws IOException, InterruptedException {
    for (String simd : new String[] {"true", "false"}) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-modules", "jdk.incubator.vector", "-Dnabla.simd=" + simd,
          "-cp", System.getProperty("java.class.path"), KernelsFirstCallTest.class.getName())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out).as("simd=%s", simd).contains("kernels").endsWith("ok\n");
      assertThat(p.exitValue()).isZero();
    }
  }
}
