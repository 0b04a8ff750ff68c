package dev.nabla.samples;

import dev.nabla.runtime.Rng;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The data of the character-level language model ({@code large/charlm.nn}): the words of a word
 * list (Debian's {@code wamerican}: {@code /usr/share/dict/american-english}, one word a line)
 * as rows of one-hot characters that {@code nabla train} reads.
 *
 * <p><b>Encoding.</b> The alphabet is a boundary marker (index 0, printed {@code .}) and the
 * letters {@code a..z} (1..26): {@link #V} symbols. A word of n letters is the input {@code
 * w[T + 1, V]} of the model: row 0 the marker (the start), rows 1..n its letters, row n + 1 the
 * marker again (the end), and zero rows after it. The model reads rows 0..T-1 and predicts rows
 * 1..T, so it is trained to predict every letter and the end of the word; a zero row (padding)
 * is no character, its cross-entropy is 0, and it adds nothing to the loss or the gradients.
 *
 * <p><b>Which words.</b> Those made of lower-case {@code a..z} only, at most {@link #MAX_LETTERS}
 * letters: proper names (capitalised), possessives ({@code cat's}) and words with accents are
 * left out, and so are the few longer words (237 of wamerican's 63,875 lower-case words).
 *
 * <pre>
 * java -cp samples/target/classes:runtime/target/classes dev.nabla.samples.Words \
 *     /usr/share/dict/american-english out
 * </pre>
 *
 * writes {@code out/words-train.csv.gz} and {@code out/words-valid.csv.gz}: the kept words
 * shuffled with the seed ({@code Rng.forStream(seed, "words")}, seed 1 unless a third argument
 * gives one), a tenth of them for validation.
 */
public final class Words {
  /** Input steps of the model: the start marker and up to 15 letters. */
  public static final int T = 16;

  /** The longest word kept: its letters and the end marker are the T predictions. */
  public static final int MAX_LETTERS = T - 1;

  /** Symbols: the boundary marker and a..z. */
  public static final int V = 27;

  /** The index of the boundary marker (start and end of a word). */
  public static final int MARKER = 0;

  /** The fraction of the words held out for validation. */
  public static final double VALID_FRACTION = 0.1;

  private static final Pattern LOWER = Pattern.compile("[a-z]+");

  private Words() {}

  /** The words of a list that the model reads, and how many lines were left out and why. */
  public record Kept(List<String> words, int notLowerCase, int tooLong) {}

  /** The training and validation words. */
  public record Split(List<String> train, List<String> valid) {}

  /** Reads a word list (UTF-8, one word a line) and keeps the words described in the class comment. */
  public static Kept read(Path list) throws IOException {
    List<String> words = new ArrayList<>();
    int other = 0;
    int longer = 0;
    List<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new IOException(list + " is not UTF-8 text (a word list has one word a line)", e);
    }
    for (String line : lines) {
      String w = line.strip();
      if (w.isEmpty()) {
        continue;
      }
      if (!LOWER.matcher(w).matches()) {
        other++;
      } else if (w.length() > MAX_LETTERS) {
        longer++;
      } else {
        words.add(w);
      }
    }
    return new Kept(words, other, longer);
  }

  /** Shuffles the words with the seed and holds out {@link #VALID_FRACTION} of them (at least one). */
  public static Split split(List<String> words, long seed) {
    List<String> order = new ArrayList<>(words);
    Rng rng = Rng.forStream(seed, "words");
    for (int i = order.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      order.set(j, order.set(i, order.get(j)));
    }
    int valid = Math.max(1, (int) Math.round(order.size() * VALID_FRACTION));
    return new Split(List.copyOf(order.subList(valid, order.size())), List.copyOf(order.subList(0, valid)));
  }

  /** The symbol index of a letter a..z. */
  public static int index(char letter) {
    if (letter < 'a' || letter > 'z') {
      throw new IllegalArgumentException("not a letter a..z: '" + letter + "'");
    }
    return letter - 'a' + 1;
  }

  /** The letter of a symbol index 1..26, or '.' for the marker. */
  public static char symbol(int index) {
    return index == MARKER ? '.' : (char) ('a' + index - 1);
  }

  /**
   * The model's input for one word: {@code (T + 1) * V} values, row-major (row t, symbol s at
   * {@code t * V + s}), as the class comment describes.
   */
  public static float[] encode(String word) {
    if (word.length() > MAX_LETTERS) {
      throw new IllegalArgumentException("'" + word + "' has more than " + MAX_LETTERS + " letters");
    }
    float[] row = new float[(T + 1) * V];
    row[MARKER] = 1;
    for (int i = 0; i < word.length(); i++) {
      row[(i + 1) * V + index(word.charAt(i))] = 1;
    }
    row[(word.length() + 1) * V + MARKER] = 1;
    return row;
  }

  /** The predicted characters of a word: its letters and the end marker. */
  public static int predictions(String word) {
    return word.length() + 1;
  }

  /** Writes the words as a gzipped CSV, one encoded word a line, atomically (a temporary file, then renamed). */
  public static void writeCsv(List<String> words, Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    // A hidden name beside the target, created with the umask's permissions (Files.createTempFile
    // would make it readable by its owner only).
    Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      try (Writer out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16),
          StandardCharsets.US_ASCII), 1 << 16)) {
        out.write("# one word a line: " + (T + 1) + " one-hot rows of " + V
            + " symbols (marker, a..z), row-major; see dev.nabla.samples.Words\n");
        StringBuilder line = new StringBuilder((T + 1) * V * 2);
        for (String w : words) {
          line.setLength(0);
          for (float v : encode(w)) {
            line.append(v == 0 ? "0," : "1,");
          }
          line.setCharAt(line.length() - 1, '\n');
          out.append(line);
        }
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void main(String[] args) {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: Words WORD-LIST OUT-DIR [SEED]   (e.g. /usr/share/dict/american-english out;"
          + " Debian: apt install wamerican)");
      System.exit(2);
    }
    Path list = Path.of(args[0]);
    Path dir = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    try {
      if (!Files.isRegularFile(list)) {
        System.err.println("Words: " + list + " is not a file (Debian's word list: apt install wamerican)");
        System.exit(1);
      }
      Kept kept = read(list);
      Split parts = split(kept.words(), seed);
      Path train = dir.resolve("words-train.csv.gz");
      Path valid = dir.resolve("words-valid.csv.gz");
      writeCsv(parts.train(), train);
      writeCsv(parts.valid(), valid);
      System.out.printf(Locale.ROOT, "kept %d words of a..z with at most %d letters (left out: %d with other"
          + " characters, %d longer)%n", kept.words().size(), MAX_LETTERS, kept.notLowerCase(), kept.tooLong());
      System.out.printf(Locale.ROOT, "wrote %s (%d words) and %s (%d words), seed %d%n", train,
          parts.train().size(), valid, parts.valid().size(), seed);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("Words: " + e.getMessage());
      System.exit(1);
    }
  }
}
