package dev.nabla.runtime.io;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir
  Path tmp;

  static byte[] resource(String name) {
    try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
      assertThat(in).as("test resource " + name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static NdArray fixture(String name) {
    return Npy.fromBytes(resource(name), name);
  }

  @Test
  void readsNumpyDtypesAndVersions() {
    assertThat(fixture("big_endian_f8.npy")).isEqualTo(NdArray.of(new double[] {1, 2.5, -3}, 3));
    assertThat(fixture("int64.npy")).isEqualTo(NdArray.of(new double[] {-5, 7}, 1, 2));
    assertThat(fixture("uint8.npy")).isEqualTo(NdArray.of(new double[] {0, 128, 255}, 3));
    assertThat(fixture("f16.npy")).isEqualTo(NdArray.ofFloats(new float[] {0.5f, -2f, 65504f}, 3));
    assertThat(fixture("bool.npy")).isEqualTo(NdArray.of(new double[] {1, 0}, 2));
    assertThat(fixture("scalar_f4.npy")).isEqualTo(NdArray.ofFloats(new float[] {7.5f}));
    assertThat(fixture("v2.npy")).isEqualTo(NdArray.of(new double[] {0, 1, 2, 3}, 4));
    assertThat(fixture("v3.npy")).isEqualTo(NdArray.ofFloats(new float[] {0, 1, 2, 3}, 4));
  }

  @Test
  void rejectsWhatItCannotRepresent() {
    assertThatThrownBy(() -> fixture("fortran.npy")).isInstanceOf(NablaDataException.class)
        .hasMessageStartingWith("fortran.npy: ").hasMessageContaining("Fortran");
    assertThatThrownBy(() -> fixture("complex.npy")).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("unsupported dtype '<c16'");
    assertThatThrownBy(() -> fixture("structured.npy")).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("unsupported dtype");
  }

  @Test
  void writesExactlyWhatNumpyWrites() {
    // np.savez stores np.save's bytes; compare ours with numpy's for the same arrays
    var numpy = NpzTest.rawEntries(resource("tiny.npz"));
    for (String name : new String[] {"a", "b", "s"}) {
      byte[] theirs = numpy.get(name + ".npy");
      NdArray a = Npy.fromBytes(theirs, name);
      assertThat(Npy.toBytes(a)).as(name).isEqualTo(theirs);
      assertThat(Npy.byteSize(a)).isEqualTo(theirs.length);
    }
  }

  @Test
  void roundTripsEveryRankAndBothDtypes(@TempDir Path dir) {
    Random r = new Random(1);
    int[][] shapes = {{}, {0}, {1}, {5}, {2, 3}, {2, 0, 4}, {2, 3, 4}, {1, 1, 1, 1, 1, 2}, {70000}};
    for (int[] shape : shapes) {
      for (DType t : DType.values()) {
        NdArray a = NdArray.zeros(t, shape);
        for (int i = 0; i < a.size(); i++) {
          a.setDouble(i, r.nextGaussian());
        }
        Path f = dir.resolve("a.npy");
        Npy.write(f, a);
        assertThat(Npy.read(f)).isEqualTo(a);
        assertThat(Npy.fromBytes(Npy.toBytes(a), "mem")).isEqualTo(a);
      }
    }
    NdArray special = NdArray.of(new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE}, 4);
    assertThat(Npy.fromBytes(Npy.toBytes(special), "mem")).isEqualTo(special);
  }

  @Test
  void headerIsPaddedTo64Bytes() {
    byte[] b = Npy.toBytes(NdArray.zeros(DType.F64, 3));
    int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
    assertThat((10 + headerLen) % 64).isZero();
    assertThat(b[9 + headerLen]).isEqualTo((byte) '\n');
  }

  // ------------------------------------------------------------- malformed files

  /** A .npy image with the given header text (padded like NumPy) and raw data bytes. */
  static byte[] npy(int major, String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    int prefix = major == 1 ? 10 : 12;
    int total = h.length + 1;
    total += 64 - (prefix + total) % 64;
    byte[] out = new byte[prefix + total + data.length];
    System.arraycopy(Npy.MAGIC, 0, out, 0, 6);
    out[6] = (byte) major;
    out[8] = (byte) total;
    out[9] = (byte) (total >>> 8);
    System.arraycopy(h, 0, out, prefix, h.length);
    java.util.Arrays.fill(out, prefix + h.length, prefix + total - 1, (byte) ' ');
    out[prefix + total - 1] = '\n';
    System.arraycopy(data, 0, out, prefix + total, data.length);
    return out;
  }

  static String dict(String descr, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  }

  private static void rejects(byte[] file, String... fragments) {
    var check = assertThatThrownBy(() -> Npy.fromBytes(file, "bad.npy"))
        .isInstanceOf(NablaDataException.class).hasMessageStartingWith("bad.npy: ");
    for (String f : fragments) {
      check.hasMessageContaining(f);
    }
  }

  @Test
  void rejectsBadMagicVersionAndHeaders() {
    rejects("PK\3\4 not an npy".getBytes(StandardCharsets.ISO_8859_1), "not a .npy");
    rejects(new byte[3], "not a .npy");
    byte[] v4 = npy(1, dict("<f8", "(1,)"), new byte[8]);
    v4[6] = 4;
    rejects(v4, "version 4.0");
    rejects(npy(1, "[1, 2, 3]", new byte[0]), "not a valid dict");
    rejects(npy(1, "{'descr': '<f8', 'shape': (1,)}", new byte[8]), "exactly the keys");
    rejects(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", new byte[8]), "keys");
    rejects(npy(1, "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", new byte[8]), "True or False");
    rejects(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", new byte[8]), "tuple");
    rejects(npy(1, dict("<f8", "(3)"), new byte[24]), "(n,)");
    rejects(npy(1, dict("<f8", "(-3,)"), new byte[24]), "negative dimension");
    rejects(npy(1, dict("<f8", "(1,)") + " junk", new byte[8]), "after the header dict");
    rejects(npy(1, "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", new byte[8]),
        "duplicate key");
    rejects(npy(1, dict("<U3", "(1,)"), new byte[12]), "unsupported dtype '<U3'");
    rejects(npy(1, dict("=f8", "(1,)"), new byte[8]), "unsupported dtype '=f8'");
    rejects(npy(1, "{'descr': '<f8, 'fortran_order': False, 'shape': (1,)}", new byte[8]), "not a valid dict");
  }

  @Test
  void rejectsTruncatedAndOverlongData() {
    rejects(npy(1, dict("<f8", "(2, 3)"), new byte[47]), "truncated", "[2, 3]", "48 bytes", "47");
    rejects(npy(1, dict("<f8", "(2,)"), new byte[17]), "data after the array");
    byte[] whole = npy(1, dict("<f4", "(4,)"), new byte[16]);
    for (int cut = 1; cut < whole.length; cut++) {
      rejects(java.util.Arrays.copyOf(whole, cut), "bad.npy");
    }
  }

  @Test
  void rejectsHugeShapesBeforeAllocating() {
    rejects(npy(1, dict("<f8", "(1000000000, 1000000000)"), new byte[8]), "more than 2147483639 elements");
    rejects(npy(1, dict("<f8", "(99999999999999999999999,)"), new byte[8]), "absurd dimension");
    // within the element limit but far more than the file holds: refused before allocation
    rejects(npy(1, dict("<f8", "(2000000000,)"), new byte[8]), "truncated", "16000000000 bytes");
    rejects(npy(1, dict("<f8", "(" + "1, ".repeat(65) + ")"), new byte[8]), "rank 65");
    // a header that claims more than the limit
    byte[] big = npy(2, dict("<f8", "(1,)"), new byte[8]);
    big[8] = 0;
    big[9] = 0;
    big[10] = 0;
    big[11] = 0x10;
    rejects(big, "more than the limit");
    byte[] bigV1 = npy(1, dict("<f8", "(1,)"), new byte[8]);
    bigV1[8] = (byte) 0xFF;
    bigV1[9] = (byte) 0xFF;
    rejects(bigV1, "truncated");
  }

  @Test
  void zeroSizeArraysNeedNoData() {
    NdArray a = Npy.fromBytes(npy(1, dict("<f4", "(0, 1000000000)"), new byte[0]), "z.npy");
    assertThat(a.size()).isZero();
    assertThat(a.shape()).containsExactly(0, 1000000000);
  }

  @Test
  void acceptsOldStyleHeaders() {
    NdArray a = Npy.fromBytes(npy(1, "{'shape': (2L,), \"fortran_order\": False, 'descr': '<i4'}",
        new byte[] {1, 0, 0, 0, -1, -1, -1, -1}), "old.npy");
    assertThat(a).isEqualTo(NdArray.of(new double[] {1, -1}, 2));
  }

  @Test
  void randomCorruptionNeverEscapesAsAnotherException() {
    byte[] good = npy(1, dict("<f8", "(3, 2)"), new byte[48]);
    Random r = new Random(7);
    for (int trial = 0; trial < 3000; trial++) {
      byte[] b = good.clone();
      int flips = 1 + r.nextInt(4);
      for (int f = 0; f < flips; f++) {
        b[r.nextInt(Math.min(b.length, 128))] = (byte) r.nextInt(256);
      }
      if (r.nextInt(4) == 0) {
        b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      }
      try {
        Npy.fromBytes(b, "fuzz.npy");
      } catch (NablaDataException expected) {
        assertThat(expected.getMessage()).startsWith("fuzz.npy: ");
      }
    }
  }

  @Test
  void fileErrorsNameTheFile() {
    Path missing = tmp.resolve("missing.npy");
    assertThatThrownBy(() -> Npy.read(missing)).isInstanceOf(NablaDataException.class)
        .hasMessage(missing + ": no such file");
    assertThatThrownBy(() -> Npy.write(tmp.resolve("no/such/dir/a.npy"), NdArray.scalar(1)))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot write")
        .hasMessageContaining("a.npy");
  }

  @Test
  void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
    Path f = tmp.resolve("w.npy");
    Npy.write(f, NdArray.scalar(1));
    Npy.write(f, NdArray.scalar(2));
    assertThat(Npy.read(f).get()).isEqualTo(2);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("w.npy");
    }
  }
}
