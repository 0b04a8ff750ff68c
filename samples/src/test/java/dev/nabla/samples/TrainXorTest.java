package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sample main's training, on the float classes the processor generated from xor.nn. */
class TrainXorTest {
  @Test
  void gradientDescentSolvesXor() {
    TrainXor.Result r = TrainXor.train(1, 2000, null);
    assertTrue(r.finalLoss() < r.initialLoss() / 4, () -> "loss " + r.initialLoss() + " -> " + r.finalLoss());
    assertEquals(4, r.correct(), () -> java.util.Arrays.toString(r.outputs()));
  }
}
