package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla bench} and {@code nabla compile --stats} report what they measured and planned. */
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void benchPrintsRatesAndAllocation() {
    Cli.Result r = Cli.run("bench", Cli.digits(dir), "--batch", "8", "--seconds", "0.2", "--warmup", "0.2");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Digits: batch 8, float, ");
    assertThat(r.out()).containsPattern("[0-9.]+ steps/s, [0-9]+ samples/s, [0-9.]+ GFLOP/s, [0-9.]+ us/step, "
        + "[0-9]+ bytes allocated per step, [0-9]+ bytes of buffers");
  }

  @Test
  void benchSaysHowFarApartTheCoresAre() {
    Cli.Result r = Cli.run("bench", Cli.digits(dir), "--batch", "8", "--seconds", "0.1", "--warmup", "0");
    assertThat(r.code()).as(r.toString()).isZero();
    // "not measured" when the other thread was not scheduled in time (a busy machine)
    assertThat(r.out()).containsPattern("(?m)^a cache line from one core to another and back: ([0-9]+ ns|not measured .*)$");
  }

  @Test
  void coreRoundTripIsAPositiveTimeOrNothing() {
    double nanos = CoreRoundTrip.nanos();
    if (Runtime.getRuntime().availableProcessors() < 2) {
      assertThat(nanos).isNaN();
    } else if (!Double.isNaN(nanos)) {
      assertThat(nanos).isPositive().isLessThan(CoreRoundTrip.LIMIT_NANOS);
    }
  }

  @Test
  void benchProfilePrintsEachPhaseOfTheStep() {
    Cli.Result r = Cli.run("bench", Cli.digits(dir), "--batch", "8", "--seconds", "0.2", "--warmup", "0.2", "--profile");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("[0-9.]+ us/step, [0-9]+ bytes allocated per step");
    assertThat(r.out()).contains("profile: time per step by phase");
    // Every product and loop of both passes, labelled with its source position and kernel.
    assertThat(r.out()).containsPattern("(?m)^ +[0-9.]+ +[0-9.]+%  forward [0-9]+:[0-9]+ add\\(matmul.*\\[Gemm\\.abT, fused relu\\]$");
    assertThat(r.out()).containsPattern("(?m)^ +[0-9.]+ +[0-9.]+%  backward [0-9]+:[0-9]+ batch_mean\\(outer\\) .*\\[Gemm\\.aTb\\]$");
    assertThat(r.out()).containsPattern("(?m)^ +[0-9.]+ +[0-9.]+%  forward mean loss$");
    assertThat(r.out()).contains("backward SGD step of the params not updated in their gradient's product", "one hand-off to the pool and back");
  }

  @Test
  void benchWithoutProfilePrintsNoPhases() {
    Cli.Result r = Cli.run("bench", Cli.digits(dir), "--batch", "8", "--seconds", "0.1", "--warmup", "0");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).doesNotContain("profile:");
  }

  @Test
  void benchRejectsABadBatch() {
    Cli.Result r = Cli.run("bench", Cli.digits(dir), "--batch", "0");
    assertThat(r.code()).isEqualTo(2);
  }

  @Test
  void statsPrintThePlannedBufferBytes() {
    Cli.Result r = Cli.run("compile", Cli.digits(dir), "--stats");
    assertThat(r.code()).as(r.toString()).isZero();
    // Inputs x[64] and d[10], kept z1, y1, Y, and scratch, per instance; params' gradients fixed.
    assertThat(r.out()).containsPattern("Digits: buffers [0-9]+ \\* B \\+ [0-9]+ bytes \\(float\\); without sharing [0-9]+ \\* B \\+ [0-9]+; B = 256: [0-9]+ bytes");
  }
}
