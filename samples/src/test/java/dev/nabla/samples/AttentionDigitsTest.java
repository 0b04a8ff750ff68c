package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;
import dev.nabla.runtime.train.TrainResult;
import dev.nabla.runtime.train.Training;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The self-attention sample (models/attention.nn) learns the digits. Trained on the float classes
 * the processor generated, as
 * {@code nabla train samples/models/attention.nn --data samples/data/digits.csv.gz --lr 0.003 --epochs 60}
 * trains it (the command's split, seed, optimizer and batch are its defaults, and the runtime's
 * Training API is what it runs), it classifies at least 95% of the held-out 20% correctly.
 */
class AttentionDigitsTest {
  @Test
  void selfAttentionClassifiesTheHeldOutDigits() {
    Attention model = new Attention();
    Dataset all = Data.read(Path.of("data", "digits.csv.gz"), model);
    Splits.Split parts = Data.split(all, 0.2, 1);
    TrainResult r = Training.of(model).data(parts.train()).testData(parts.test()).learningRate(0.003).epochs(60).fit();
    assertEquals(359, r.finalScore().rows());
    assertTrue(r.finalScore().metric() >= 0.95, () -> "test accuracy " + r.finalScore().metric());
  }
}
