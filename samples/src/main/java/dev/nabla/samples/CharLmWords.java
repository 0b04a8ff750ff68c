package dev.nabla.samples;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.Rng;
import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the character language model ({@code large/charlm.nn}, generated into {@link CharLm})
 * on held-out words in bits per character, and samples new words from it, one letter at a time.
 *
 * <pre>
 * java -cp samples/target/classes:runtime/target/classes dev.nabla.samples.CharLmWords \
 *     out/charlm.npz out/words-valid.csv.gz [words] [seed]
 * </pre>
 *
 * <p><b>Bits per character</b> is the total cross-entropy of the held-out words (the model's
 * loss, in nats, summed over the words) divided by the characters predicted (each word's letters
 * and its end marker; the padding rows hold none) and by ln 2.
 *
 * <p><b>Sampling.</b> A word starts as the start marker; each step runs the model on the prefix
 * so far (the rows after it zero, which cannot change the earlier steps' predictions: the
 * recurrence only looks back), draws the next symbol from the distribution the model gives after
 * the prefix ({@code Rng.forStream(seed, "sample")}), and stops at the end marker or after
 * {@link Words#MAX_LETTERS} letters.
 */
public final class CharLmWords {
  private CharLmWords() {}

  /** The held-out measure: the mean loss per word (nats), the characters, and bits per character. */
  public record Measure(int words, double natsPerWord, long characters, double bitsPerCharacter) {}

  /** Measures {@code model} (its params loaded) on the encoded words of {@code data}. */
  public static Measure measure(Model model, Dataset data) {
    double nats = new dev.nabla.runtime.train.Predictor(model).evaluate(data).loss();
    long chars = 0;
    float[] x = data.x();
    int width = (Words.T + 1) * Words.V;
    for (int r = 0; r < data.rows(); r++) {
      for (int j = Words.V; j < width; j++) {        // rows 1..T: the predicted symbols
        chars += x[r * width + j] == 1f ? 1 : 0;
      }
    }
    double bits = nats * data.rows() / chars / Math.log(2);
    return new Measure(data.rows(), nats, chars, bits);
  }

  /** Samples {@code count} words from {@code model}, in parallel as one batch. */
  public static List<String> sample(Model model, int count, long seed) {
    ModelRun run = model.newRun(count);
    NdArray w = run.input("w");
    w.fill(0);
    Rng rng = Rng.forStream(seed, "sample");
    StringBuilder[] words = new StringBuilder[count];
    boolean[] done = new boolean[count];
    int width = (Words.T + 1) * Words.V;
    for (int i = 0; i < count; i++) {
      words[i] = new StringBuilder();
      w.setDouble(i * width + Words.MARKER, 1);
    }
    for (int t = 0; t < Words.T; t++) {
      run.forward();
      NdArray p = run.output("P");                   // [count, T, V]
      for (int i = 0; i < count; i++) {
        if (done[i]) {
          continue;
        }
        int s = draw(p, (i * Words.T + t) * Words.V, rng);
        if (s == Words.MARKER || t == Words.MAX_LETTERS) {
          done[i] = true;
        } else {
          words[i].append(Words.symbol(s));
          w.setDouble(i * width + (t + 1) * Words.V + s, 1);
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (StringBuilder b : words) {
      out.add(b.toString());
    }
    return out;
  }

  /** A symbol drawn from the V probabilities at {@code from}. */
  private static int draw(NdArray p, int from, Rng rng) {
    double total = 0;
    for (int s = 0; s < Words.V; s++) {
      total += p.getDouble(from + s);
    }
    double u = rng.nextDouble() * total;
    for (int s = 0; s < Words.V; s++) {
      u -= p.getDouble(from + s);
      if (u < 0) {
        return s;
      }
    }
    return Words.V - 1;
  }

  static void report(Model model, Path valid, int count, long seed, PrintStream out) {
    Measure m = measure(model, Data.read(valid, model));
    out.printf(Locale.ROOT, "validation %d words, %d characters (letters and end markers): %.4f nats per word,"
        + " %.4f bits per character%n", m.words(), m.characters(), m.natsPerWord(), m.bitsPerCharacter());
    out.println("sampled words: " + String.join(" ", sample(model, count, seed)));
  }

  public static void main(String[] args) {
    if (args.length < 2 || args.length > 4) {
      System.err.println("usage: CharLmWords PARAMS.npz VALID.csv.gz [WORDS] [SEED]"
          + "   (e.g. out/charlm.npz out/words-valid.csv.gz 20 1)");
      System.exit(2);
    }
    CharLm model = new CharLm();
    try {
      model.loadParams(Path.of(args[0]));
      report(model, Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 20,
          args.length > 3 ? Long.parseLong(args[3]) : 1, System.out);
    } catch (RuntimeException e) {
      System.err.println("CharLmWords: " + e.getMessage());
      System.exit(1);
    }
  }
}
