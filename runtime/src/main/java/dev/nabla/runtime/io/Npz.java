package dev.nabla.runtime.io;

import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip file with one {@code NAME.npy} entry per
 * array (as {@code np.savez} and {@code np.savez_compressed} write them).
 *
 * <p><b>Reading</b> accepts stored and deflated entries; the map keeps the archive's entry order
 * and drops the {@code .npy} suffix. Each entry is read with {@link Npy}'s rules and limits,
 * and additionally: an entry whose shape needs more bytes than the zip directory declares is
 * rejected before its data is read; data past the array is an error (reading stops one byte
 * after the declared array size, so a zip bomb is never inflated further); the CRC-32 is
 * verified. A file that is not a zip, an entry not named {@code *.npy}, or two entries with the
 * same name are {@link NablaDataException}s naming the file and entry.
 *
 * <p><b>Writing</b> goes through a temporary file in the target directory that is moved into
 * place atomically, so the target is never half-written. Entries get a fixed timestamp
 * (1980-01-01 00:00), so the same arrays give a byte-identical file. Failures are
 * {@link UncheckedIOException}s naming the file.
 */
public final class Npz {
  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private Npz() {
  }

  /** Reads every array of an {@code .npz} file, in entry order, keyed by name (without {@code .npy}). */
  public static LinkedHashMap<String, NdArray> read(Path file) {
    return read(file, null, null);
  }

  /**
   * Reads every array of an {@code .npz} file, after checking on the zip directory alone (before
   * inflating anything) that every array's name is one of {@code names}: an archive with
   * another entry is an error naming it, {@code kind} and the names expected, e.g.
   * {@code "p.npz: 'junk' is not a param of model Iris (it has W, b)"}. Arrays missing from
   * the archive are the caller's to report.
   *
   * @param kind what a name must be, as in {@code "a param of model Iris"}
   */
  public static LinkedHashMap<String, NdArray> read(Path file, Collection<String> names, String kind) {
    String where = file.toString();
    if (!Files.exists(file)) {
      throw new NablaDataException(where + ": no such file");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (names != null) {
        checkNames(zip, where, names, kind);
      }
      LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.isDirectory()) {
          continue;
        }
        String entryName = e.getName();
        String at = where + ": entry '" + entryName + "'";
        if (!entryName.endsWith(".npy")) {
          throw new NablaDataException(at + " is not a .npy array (an .npz holds only NAME.npy entries)");
        }
        String key = entryName.substring(0, entryName.length() - 4);
        if (out.containsKey(key)) {
          throw new NablaDataException(at + " appears twice");
        }
        out.put(key, readEntry(zip, e, where + ": entry '" + key + "'"));
      }
      return out;
    } catch (ZipException e) {
      throw new NablaDataException(where + ": not a valid .npz (zip) file: " + e.getMessage(), e);
    } catch (NoSuchFileException e) {
      throw new NablaDataException(where + ": no such file", e);
    } catch (IOException e) {
      throw new NablaDataException(where + ": cannot read: " + AtomicFiles.describe(e), e);
    }
  }

  private static void checkNames(ZipFile zip, String where, Collection<String> names, String kind) {
    List<String> unknown = zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName)
        .map(n -> n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n)
        .filter(n -> !names.contains(n)).limit(10).map(n -> "'" + n + "'").toList();
    if (!unknown.isEmpty()) {
      throw new NablaDataException(where + ": " + String.join(", ", unknown) + (unknown.size() == 1 ? " is not " : " are not ")
          + kind + " (it has " + String.join(", ", names) + "); nothing was read");
    }
  }

  private static NdArray readEntry(ZipFile zip, ZipEntry e, String at) {
    CRC32 crc = new CRC32();
    NdArray a;
    try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
      a = Npy.read(in, at, -1, e.getSize());
    } catch (ZipException | java.io.EOFException ex) {
      throw new NablaDataException(at + ": the compressed data is corrupt: " + ex.getMessage(), ex);
    } catch (IOException ex) {
      throw new NablaDataException(at + ": cannot read: " + AtomicFiles.describe(ex), ex);
    }
    if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
      throw new NablaDataException(at + ": the data is corrupt (CRC-32 mismatch)");
    }
    return a;
  }

  /** Writes {@code arrays} as an uncompressed {@code .npz} (like {@code np.savez}), atomically. */
  public static void write(Path file, Map<String, NdArray> arrays) {
    write(file, arrays, false);
  }

  /** Writes {@code arrays} as a deflate-compressed {@code .npz} (like {@code np.savez_compressed}), atomically. */
  public static void writeCompressed(Path file, Map<String, NdArray> arrays) {
    write(file, arrays, true);
  }

  private static void write(Path file, Map<String, NdArray> arrays, boolean compress) {
    checkNames("Npz.write " + file, arrays);
    AtomicFiles.write(file, out -> writeTo(out, arrays, compress));
  }

  /**
   * Writes {@code arrays} as an uncompressed {@code .npz} to a stream, which stays open: for
   * callers that place the file themselves (the command line's output files).
   */
  public static void write(OutputStream out, Map<String, NdArray> arrays) throws IOException {
    checkNames("Npz.write", arrays);
    writeTo(out, arrays, false);
  }

  private static void checkNames(String where, Map<String, NdArray> arrays) {
    for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getKey().indexOf('\0') >= 0) {
        throw new IllegalArgumentException(where + ": invalid array name '" + e.getKey() + "'");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(where + ": array '" + e.getKey() + "' is null");
      }
    }
  }

  private static void writeTo(OutputStream out, Map<String, NdArray> arrays, boolean compress) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
      NdArray a = e.getValue();
      ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
      entry.setTimeLocal(FIXED_TIME);
      if (compress) {
        entry.setMethod(ZipEntry.DEFLATED);
      } else {
        CRC32 crc = new CRC32();
        Npy.write(new CheckedOutputStream(OutputStream.nullOutputStream(), crc), a);
        long size = Npy.byteSize(a);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc.getValue());
      }
      zip.putNextEntry(entry);
      Npy.write(zip, a);
      zip.closeEntry();
    }
    zip.finish();
  }
}
