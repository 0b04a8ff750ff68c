package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.train.Training;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The character language model (large/charlm.nn) on the data {@link Words} writes: the files fit
 * the model, a short training run learns (fewer bits per character than any model that ignores
 * the letters before, which needs about 4.1), and sampling gives words of a..z.
 */
class CharLmWordsTest {
  @TempDir Path dir;

  @Test
  void theWordFilesAreTheModelsInputRowByRow() throws IOException {
    Path csv = dir.resolve("w.csv.gz");
    Words.writeCsv(List.of("cab", "zebra"), csv);
    CharLm model = new CharLm();
    Dataset d = Data.read(csv, model);
    assertEquals(2, d.rows());
    assertEquals((Words.T + 1) * Words.V, d.features());
    assertArrayEquals(Words.encode("zebra"), Arrays.copyOfRange(d.x(), d.features(), 2 * d.features()));
  }

  @Test
  void aShortRunOnWamericanLearnsAndSamplesWords() throws IOException {
    Path dict = Path.of("/usr/share/dict/american-english");
    assumeTrue(Files.isRegularFile(dict), "wamerican is not installed (apt install wamerican)");
    Words.Split split = Words.split(Words.read(dict).words(), 1);
    Path train = dir.resolve("train.csv.gz");
    Path valid = dir.resolve("valid.csv.gz");
    Words.writeCsv(split.train().subList(0, 2000), train);
    Words.writeCsv(split.valid().subList(0, 500), valid);
    CharLm model = new CharLm();
    Dataset validData = Data.read(valid, model);
    Training.of(model).data(Data.read(train, model)).testData(validData).learningRate(0.01).epochs(1).fit();
    CharLmWords.Measure m = CharLmWords.measure(model, validData);
    assertEquals(500, m.words());
    assertTrue(m.bitsPerCharacter() < 3.8, () -> m.bitsPerCharacter() + " bits per character");
    List<String> words = CharLmWords.sample(model, 5, 1);
    assertEquals(5, words.size());
    assertTrue(words.stream().allMatch(w -> w.matches("[a-z]{0,15}")), words::toString);
  }
}
