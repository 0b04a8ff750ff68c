package dev.nabla.runtime.io;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
  @TempDir
  Path tmp;

  /** The raw bytes of every entry of a zip image. */
  static Map<String, byte[]> rawEntries(byte[] zip) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private Path fixture(String name) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, NpyTest.resource(name));
    return p;
  }

  @Test
  void readsNumpySavez() throws IOException {
    Map<String, NdArray> m = Npz.read(fixture("tiny.npz"));
    assertThat(m.keySet()).containsExactly("a", "b", "s");
    assertThat(m.get("a")).isEqualTo(NdArray.ofFloats(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, 2, 3));
    assertThat(m.get("b")).isEqualTo(NdArray.of(new double[] {1.5, -2.0, 1e-300}, 3));
    assertThat(m.get("s")).isEqualTo(NdArray.scalar(3.25));
    assertThat(m.get("s").shape()).isEmpty();
  }

  @Test
  void readsNumpySavezCompressed() throws IOException {
    Map<String, NdArray> m = Npz.read(fixture("tiny_compressed.npz"));
    assertThat(m.keySet()).containsExactly("z", "i");
    NdArray z = m.get("z");
    assertThat(z.shape()).containsExactly(10, 10);
    assertThat(z.dtype()).isEqualTo(DType.F64);
    for (int k = 0; k < 100; k++) {
      assertThat(z.getDouble(k)).isCloseTo(k / 99.0, org.assertj.core.api.Assertions.within(1e-15));
    }
    assertThat(m.get("i")).isEqualTo(NdArray.of(new double[] {1, -2, 3, 4}, 2, 2));
  }

  private static Map<String, NdArray> sample() {
    Map<String, NdArray> m = new LinkedHashMap<>();
    m.put("W1", NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    m.put("b1", NdArray.of(new double[] {0.5, -0.25, 1e-300}, 3));
    m.put("loss", NdArray.scalar(0.125));
    m.put("empty", NdArray.zeros(DType.F64, 0, 4));
    return m;
  }

  @Test
  void roundTripsStoredAndCompressed() {
    Path stored = tmp.resolve("p.npz");
    Path compressed = tmp.resolve("c.npz");
    Npz.write(stored, sample());
    Npz.writeCompressed(compressed, sample());
    assertThat(Npz.read(stored)).containsExactlyEntriesOf(sample());
    assertThat(Npz.read(compressed)).containsExactlyEntriesOf(sample());
  }

  @Test
  void largeCompressedEntriesGrowTheirBufferAsDataArrives() {
    // compressed entries have no trusted size: the reader grows its buffer from 16K elements
    Map<String, NdArray> m = new LinkedHashMap<>();
    NdArray d = NdArray.zeros(DType.F64, 300, 337);
    NdArray f = NdArray.zeros(DType.F32, 100001);
    for (int i = 0; i < d.size(); i++) {
      d.setDouble(i, Math.sin(i));
    }
    for (int i = 0; i < f.size(); i++) {
      f.setDouble(i, i % 977);
    }
    m.put("d", d);
    m.put("f", f);
    Path p = tmp.resolve("big.npz");
    Npz.writeCompressed(p, m);
    assertThat(Npz.read(p)).containsExactlyEntriesOf(m);
  }

  @Test
  void writingIsDeterministicAndEntriesAreNumpyFiles() throws IOException {
    Path a = tmp.resolve("a.npz");
    Path b = tmp.resolve("b.npz");
    Npz.write(a, sample());
    Npz.write(b, sample());
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    Map<String, byte[]> raw = rawEntries(Files.readAllBytes(a));
    assertThat(raw.keySet()).containsExactly("W1.npy", "b1.npy", "loss.npy", "empty.npy");
    assertThat(raw.get("W1.npy")).isEqualTo(Npy.toBytes(sample().get("W1")));
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.npz", "b.npz");
    }
  }

  @Test
  void aFailedWriteLeavesTheTargetAndNoTemporaryFile() throws IOException {
    Path dirTarget = tmp.resolve("taken");
    Files.createDirectory(dirTarget);
    Files.writeString(dirTarget.resolve("keep"), "x");
    assertThatThrownBy(() -> Npz.write(dirTarget, sample())).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot write").hasMessageContaining("taken");
    assertThat(dirTarget.resolve("keep")).exists();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("taken");
    }
    assertThatThrownBy(() -> Npz.write(tmp.resolve("x.npz"), Map.of("", NdArray.scalar(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid array name");
  }

  // ------------------------------------------------------------- malformed archives

  private Path zip(String name, boolean deflate, Map<String, byte[]> entries) throws IOException {
    Path p = tmp.resolve(name);
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
      for (var e : entries.entrySet()) {
        ZipEntry ze = new ZipEntry(e.getKey());
        if (!deflate) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          ze.setMethod(ZipEntry.STORED);
          ze.setSize(e.getValue().length);
          ze.setCompressedSize(e.getValue().length);
          ze.setCrc(crc.getValue());
        }
        z.putNextEntry(ze);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return p;
  }

  private static byte[] npyBytes(String descr, String shape, int dataBytes) {
    return NpyTest.npy(1, NpyTest.dict(descr, shape), new byte[dataBytes]);
  }

  @Test
  void rejectsFilesThatAreNotNpz() throws IOException {
    Path junk = tmp.resolve("junk.npz");
    Files.writeString(junk, "this is not a zip file at all");
    assertThatThrownBy(() -> Npz.read(junk)).isInstanceOf(NablaDataException.class)
        .hasMessageStartingWith(junk + ": not a valid .npz");
    Path missing = tmp.resolve("missing.npz");
    assertThatThrownBy(() -> Npz.read(missing)).isInstanceOf(NablaDataException.class)
        .hasMessage(missing + ": no such file");
    Path other = zip("other.npz", true, Map.of("readme.txt", new byte[] {1}));
    assertThatThrownBy(() -> Npz.read(other)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("entry 'readme.txt' is not a .npy array");
  }

  @Test
  void badEntriesNameTheFileAndEntry() throws IOException {
    for (boolean deflate : new boolean[] {false, true}) {
      Path p = zip("t" + deflate + ".npz", deflate, Map.of("W.npy", npyBytes("<f8", "(2, 3)", 40)));
      assertThatThrownBy(() -> Npz.read(p)).isInstanceOf(NablaDataException.class)
          .hasMessageStartingWith(p + ": entry 'W': ").hasMessageContaining("truncated");
      Path f = zip("f" + deflate + ".npz", deflate,
          Map.of("x.npy", NpyTest.npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }",
              new byte[32])));
      assertThatThrownBy(() -> Npz.read(f)).hasMessageStartingWith(f + ": entry 'x': ")
          .hasMessageContaining("Fortran");
      Path d = zip("d" + deflate + ".npz", deflate, Map.of("x.npy", npyBytes("<c8", "(1,)", 8)));
      assertThatThrownBy(() -> Npz.read(d)).hasMessageContaining("entry 'x': unsupported dtype '<c8'");
      Path h = zip("h" + deflate + ".npz", deflate, Map.of("x.npy", npyBytes("<f8", "(10000, 100000)", 8)));
      assertThatThrownBy(() -> Npz.read(h)).hasMessageContaining("entry 'x'")
          .hasMessageContaining("8000000000");
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void zipBombIsNotInflatedBeyondTheArray() throws IOException {
    // a valid 10-element array followed by 64 MiB of zeros, deflated to ~64 KiB
    Path bomb = tmp.resolve("bomb.npz");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
      z.putNextEntry(new ZipEntry("x.npy"));
      z.write(npyBytes("<f8", "(10,)", 80));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        z.write(zeros);
      }
      z.closeEntry();
    }
    assertThat(Files.size(bomb)).isLessThan(1 << 20);
    assertThatThrownBy(() -> Npz.read(bomb)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("entry 'x'").hasMessageContaining("data after the array");
  }

  @Test
  void namesAreCheckedBeforeAnyEntryIsInflated() throws IOException {
    // Issue 12, item 11: an entry the reader does not want is refused by its name alone; its data
    // (here a corrupt stream that would fail if inflated; in the report 8 GB of zeros) is never read.
    Path p = zip("extra.npz", true, Map.of("W.npy", npyBytes("<f8", "(2,)", 16),
        "junk.npy", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 0xFF}));
    assertThatThrownBy(() -> Npz.read(p, List.of("W", "b"), "a param of model M"))
        .isInstanceOf(NablaDataException.class)
        .hasMessage(p + ": 'junk' is not a param of model M (it has W, b); nothing was read");
    assertThat(Npz.read(zip("ok.npz", true, Map.of("W.npy", npyBytes("<f8", "(2,)", 16))), List.of("W", "b"), "x"))
        .containsOnlyKeys("W");
  }

  @Test
  void corruptStoredDataFailsTheCrc() throws IOException {
    Path p = tmp.resolve("crc.npz");
    Npz.write(p, Map.of("v", NdArray.of(new double[] {1, 2, 3, 4}, 4)));
    byte[] bytes = Files.readAllBytes(p);
    // the last data byte of the only entry sits right before the central directory
    int cd = indexOf(bytes, new byte[] {'P', 'K', 1, 2});
    bytes[cd - 1] ^= 0x40;
    Files.write(p, bytes);
    assertThatThrownBy(() -> Npz.read(p)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("entry 'v'").hasMessageContaining("CRC");
  }

  @Test
  void corruptDeflatedDataIsADataError() throws IOException {
    Path p = tmp.resolve("z.npz");
    Map<String, NdArray> m = new LinkedHashMap<>();
    NdArray big = NdArray.zeros(DType.F64, 1000);
    for (int i = 0; i < 1000; i++) {
      big.setDouble(i, Math.sin(i));
    }
    m.put("v", big);
    Npz.writeCompressed(p, m);
    byte[] bytes = Files.readAllBytes(p);
    int cd = indexOf(bytes, new byte[] {'P', 'K', 1, 2});
    for (int i = 60; i < cd - 100; i += 7) {
      bytes[i] ^= 0x5A;
    }
    Files.write(p, bytes);
    assertThatThrownBy(() -> Npz.read(p)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("entry 'v'");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = hay.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      int first = i;
      // the first central directory header
      for (int k = i - 1; k >= 0; k--) {
        boolean match = true;
        for (int j = 0; j < needle.length && match; j++) {
          match = hay[k + j] == needle[j];
        }
        if (match) {
          first = k;
        }
      }
      return first;
    }
    throw new AssertionError("not found");
  }

  @Test
  void randomCorruptionOfAnArchiveIsAlwaysADataError() throws IOException {
    Path good = tmp.resolve("good.npz");
    Npz.writeCompressed(good, sample());
    byte[] bytes = Files.readAllBytes(good);
    java.util.Random r = new java.util.Random(11);
    Path p = tmp.resolve("fuzz.npz");
    for (int trial = 0; trial < 400; trial++) {
      byte[] b = bytes.clone();
      for (int f = 1 + r.nextInt(3); f > 0; f--) {
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      }
      Files.write(p, b);
      try {
        Npz.read(p);
      } catch (NablaDataException expected) {
        assertThat(expected.getMessage()).startsWith(p.toString());
      }
    }
  }

  // ------------------------------------------------------------- NumPy interop

  private static boolean numpyAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void numpyLoadsWhatWeWrite() throws IOException, InterruptedException {
    Assumptions.assumeTrue(numpyAvailable(), "python3 with numpy is not installed");
    Path stored = tmp.resolve("ours.npz");
    Path compressed = tmp.resolve("ours_c.npz");
    Path single = tmp.resolve("ours.npy");
    Npz.write(stored, sample());
    Npz.writeCompressed(compressed, sample());
    Npy.write(single, sample().get("W1"));
    String script = String.join("\n",
        "import sys, io, numpy as np",
        "for f in sys.argv[1:3]:",
        "    d = np.load(f)",
        "    assert list(d.files) == ['W1', 'b1', 'loss', 'empty'], d.files",
        "    assert d['W1'].dtype == np.float32 and d['W1'].shape == (2, 3)",
        "    assert (d['W1'] == np.arange(1, 7, dtype=np.float32).reshape(2, 3)).all()",
        "    assert d['b1'].dtype == np.float64 and list(d['b1']) == [0.5, -0.25, 1e-300]",
        "    assert d['loss'].shape == () and d['loss'] == 0.125",
        "    assert d['empty'].shape == (0, 4)",
        "a = np.load(sys.argv[3])",
        "buf = io.BytesIO(); np.save(buf, a)",
        "assert buf.getvalue() == open(sys.argv[3], 'rb').read(), 'not byte-identical to np.save'",
        "print('ok')");
    Process p = new ProcessBuilder(List.of("python3", "-c", script, stored.toString(), compressed.toString(),
        single.toString())).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out.strip()).isEqualTo("ok");
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void bytesOfAWrittenArchiveReadBackByteWise() throws IOException {
    // independent of our reader: decode the entries with java.util.zip and check the raw .npy bytes
    Path p = tmp.resolve("w.npz");
    Npz.writeCompressed(p, sample());
    Map<String, byte[]> raw = rawEntries(Files.readAllBytes(p));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(Npy.toBytes(sample().get("b1")));
    assertThat(raw.get("b1.npy")).isEqualTo(expected.toByteArray());
    byte[] b1 = raw.get("b1.npy");
    // little-endian 0.5 is the last 8 bytes' first double
    long bits = java.nio.ByteBuffer.wrap(b1, b1.length - 24, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(Double.longBitsToDouble(bits)).isEqualTo(0.5);
  }
}
