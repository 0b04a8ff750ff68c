package dev.nabla.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a gzip file (RFC 1952) of one or more members and, unlike
 * {@link java.util.zip.GZIPInputStream}, accepts nothing else: a file that ends inside a member
 * (its header, compressed data or trailer) is an error, and so are bytes after the last member
 * that do not start another member. ({@code GZIPInputStream} stops silently at a member it cannot
 * read, and may even stop after the first member of a pipe, whose {@code available()} is 0.)
 * Every member's CRC-32 and length are verified.
 *
 * <p>Errors are {@link ZipException}s whose message is a complete phrase for the user, e.g.
 * {@code "the gzip data is truncated: the file ends inside the compressed data of member 2"};
 * callers prefix the file name (and line).
 */
final class StrictGzipInputStream extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xE0;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int len;
  /** Compressed bytes before {@code buf[0]}, for the offsets in messages. */
  private long base;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private long memberLength;
  private int member;
  private boolean end;
  private final byte[] one = new byte[1];

  /** Reads the first member's header; {@code in} must start with the gzip magic bytes. */
  StrictGzipInputStream(InputStream in) throws IOException {
    this.in = in;
    member = 1;
    header();
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int n) throws IOException {
    java.util.Objects.checkFromIndexSize(off, n, b.length);
    if (n == 0) {
      return 0;
    }
    while (!end) {
      if (inflater.finished()) {
        pos = len - inflater.getRemaining();
        trailer();
        continue;
      }
      if (inflater.needsInput()) {
        if (!fill()) {
          throw new ZipException("the gzip data is truncated: the file ends inside the compressed data of member "
              + member);
        }
        inflater.setInput(buf, pos, len - pos);
        pos = len;
      }
      int got;
      try {
        got = inflater.inflate(b, off, n);
      } catch (DataFormatException e) {
        throw new ZipException("the gzip data is corrupt in member " + member + " (" + e.getMessage() + ")");
      }
      if (got > 0) {
        crc.update(b, off, got);
        memberLength += got;
        return got;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("the gzip data is corrupt in member " + member + " (it asks for a preset dictionary)");
      }
    }
    return -1;
  }

  /** Checks a member's trailer, then starts the next member or ends at the end of the file. */
  private void trailer() throws IOException {
    long storedCrc = le32("the trailer");
    long storedLength = le32("the trailer");
    if (storedCrc != crc.getValue()) {
      throw new ZipException("the gzip data is corrupt: member " + member + " fails its CRC-32 check");
    }
    if (storedLength != (memberLength & 0xFFFFFFFFL)) {
      throw new ZipException("the gzip data is corrupt: member " + member + " has " + memberLength
          + " bytes but its trailer says " + storedLength + " (mod 2^32)");
    }
    long at = base + pos;
    int b = next();
    if (b < 0) {
      end = true;
      return;
    }
    if (b != 0x1f || next() != 0x8b) {
      throw new ZipException("there are bytes after the end of the gzip data (at byte " + at
          + ", after member " + member + ") that do not start another gzip member");
    }
    member++;
    memberLength = 0;
    crc.reset();
    inflater.reset();
    headerAfterMagic();
  }

  /** Reads a member header (RFC 1952, 2.3.1) up to the compressed data. */
  private void header() throws IOException {
    if (next() != 0x1f || next() != 0x8b) {
      throw new ZipException("the data is not gzip (wrong magic bytes)");
    }
    headerAfterMagic();
  }

  /** Reads the rest of a member header after its two magic bytes. */
  private void headerAfterMagic() throws IOException {
    String part = "the header";
    int method = need(part);
    if (method != 8) {
      throw new ZipException("gzip member " + member + " uses compression method " + method + ", not deflate (8)");
    }
    int flags = need(part);
    if ((flags & RESERVED) != 0) {
      throw new ZipException("the gzip header of member " + member + " has reserved flag bits set (corrupt data?)");
    }
    skip(6, part); // modification time, extra flags, operating system
    if ((flags & FEXTRA) != 0) {
      skip(need(part) | need(part) << 8, part);
    }
    if ((flags & FNAME) != 0) {
      skipZeroTerminated(part);
    }
    if ((flags & FCOMMENT) != 0) {
      skipZeroTerminated(part);
    }
    if ((flags & FHCRC) != 0) {
      skip(2, part);
    }
  }

  private long le32(String part) throws IOException {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (long) need(part) << (8 * i);
    }
    return v;
  }

  private void skip(int count, String part) throws IOException {
    for (int i = 0; i < count; i++) {
      need(part);
    }
  }

  private void skipZeroTerminated(String part) throws IOException {
    while (need(part) != 0) {
      // a file name or comment: not needed
    }
  }

  /** The next byte; the end of the file here is a truncation inside {@code part} of the member. */
  private int need(String part) throws IOException {
    int b = next();
    if (b < 0) {
      throw new ZipException("the gzip data is truncated: the file ends inside " + part + " of member " + member);
    }
    return b;
  }

  /** The next raw byte, or -1 at the end of the file. */
  private int next() throws IOException {
    if (pos == len && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xFF;
  }

  /** Refills the buffer when it is used up, keeping unread bytes; false at the end of the file. */
  private boolean fill() throws IOException {
    if (pos < len) {
      return true;
    }
    base += len;
    pos = 0;
    len = 0;
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    len = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }
}
