package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The character language model's data: which words are kept, their one-hot rows, the split, the files. */
class WordsTest {
  @TempDir Path dir;

  Path list(String... lines) throws IOException {
    Path f = dir.resolve("words");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void keepsLowerCaseWordsOfAtMostFifteenLetters() throws IOException {
    Words.Kept k = Words.read(list("cat", "Cat", "cat's", "\u00e9tude", "", "a", "abcdefghijklmnop", "abcdefghijklmno", "dog"));
    assertEquals(List.of("cat", "a", "abcdefghijklmno", "dog"), k.words());
    assertEquals(3, k.notLowerCase());
    assertEquals(1, k.tooLong());
  }

  @Test
  void aWordIsTheStartMarkerItsLettersTheEndMarkerThenZeroRows() {
    float[] row = Words.encode("cab");
    assertEquals((Words.T + 1) * Words.V, row.length);
    int[] hot = {Words.MARKER, Words.index('c'), Words.index('a'), Words.index('b'), Words.MARKER};
    for (int t = 0; t <= Words.T; t++) {
      for (int s = 0; s < Words.V; s++) {
        float want = t < hot.length && hot[t] == s ? 1 : 0;
        assertEquals(want, row[t * Words.V + s], "row " + t + ", symbol " + s);
      }
    }
    assertEquals(4, Words.predictions("cab"));
    assertEquals('c', Words.symbol(Words.index('c')));
    assertEquals('.', Words.symbol(Words.MARKER));
    float[] longest = Words.encode("abcdefghijklmno");
    assertEquals(1, longest[Words.T * Words.V + Words.MARKER], "the end marker is the last row");
    assertThrows(IllegalArgumentException.class, () -> Words.encode("abcdefghijklmnop"));
    assertThrows(IllegalArgumentException.class, () -> Words.encode("Cab"));
  }

  @Test
  void theSplitIsAShuffledPartitionFixedByTheSeed() {
    List<String> words = new java.util.ArrayList<>();
    for (int i = 0; i < 95; i++) {
      words.add("w" + (char) ('a' + i % 26) + (char) ('a' + i / 26));
    }
    Words.Split s = Words.split(words, 1);
    assertEquals(10, s.valid().size());
    assertEquals(85, s.train().size());
    Set<String> all = new HashSet<>(s.train());
    all.addAll(s.valid());
    assertEquals(new HashSet<>(words), all);
    assertEquals(s, Words.split(words, 1));
    assertTrue(!s.equals(Words.split(words, 2)));
    assertTrue(!s.valid().equals(words.subList(0, 10)), "shuffled, not the first words");
  }

  @Test
  void theCsvHoldsOneEncodedWordALine() throws IOException {
    Path csv = dir.resolve("sub/w.csv.gz");
    Words.writeCsv(List.of("cab", "a"), csv);
    String text;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(csv))) {
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    List<String> lines = text.lines().toList();
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).startsWith("# "));
    for (int i = 1; i < 3; i++) {
      String[] fields = lines.get(i).split(",");
      float[] values = new float[fields.length];
      for (int j = 0; j < fields.length; j++) {
        values[j] = Float.parseFloat(fields[j]);
      }
      assertArrayEquals(Words.encode(i == 1 ? "cab" : "a"), values);
    }
    try (var files = Files.list(csv.getParent())) {
      assertEquals(List.of(csv), files.toList(), "no temporary file left behind");
    }
    Path plain = dir.resolve("plain");
    Files.writeString(plain, "");
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(csv),
        "the permissions of any new file (the umask's)");
  }

  @Test
  void aListThatIsNotUtf8IsReportedAsSuch() throws IOException {
    Path f = dir.resolve("latin1");
    Files.write(f, new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
    IOException e = assertThrows(IOException.class, () -> Words.read(f));
    assertTrue(e.getMessage().contains("is not UTF-8 text"), e.getMessage());
  }

  /** Debian's wamerican (2020.12.07), when installed: what the sample trains on. */
  @Test
  void wamericanWhenInstalled() throws IOException {
    Path dict = Path.of("/usr/share/dict/american-english");
    assumeTrue(Files.isRegularFile(dict), "wamerican is not installed (apt install wamerican)");
    Words.Kept k = Words.read(dict);
    assertTrue(k.words().size() > 60_000, () -> k.words().size() + " words");
    assertTrue(k.tooLong() < 300, () -> k.tooLong() + " longer words");
  }
}
