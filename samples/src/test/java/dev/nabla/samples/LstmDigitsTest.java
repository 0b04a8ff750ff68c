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
 * The recurrent sample (models/lstm.nn: an LSTM reading each digit as 8 rows of 8 pixels) learns
 * the digits. Trained on the float classes the processor generated, as
 * {@code nabla train samples/models/lstm.nn --data samples/data/digits.csv.gz --lr 0.01 --epochs 30}
 * trains it (the command's split, seed, optimizer and batch are its defaults), it classifies at
 * least 95% of the held-out 20% correctly.
 */
class LstmDigitsTest {
  @Test
  void anLstmReadingRowsClassifiesTheHeldOutDigits() {
    LstmDigits model = new LstmDigits();
    Dataset all = Data.read(Path.of("data", "digits.csv.gz"), model);
    Splits.Split parts = Data.split(all, 0.2, 1);
    TrainResult r = Training.of(model).data(parts.train()).testData(parts.test()).learningRate(0.01).epochs(30).fit();
    assertEquals(359, r.finalScore().rows());
    assertTrue(r.finalScore().metric() >= 0.95, () -> "test accuracy " + r.finalScore().metric());
  }
}
