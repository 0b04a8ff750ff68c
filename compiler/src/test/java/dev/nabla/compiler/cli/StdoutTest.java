package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 6: output that cannot be written to stdout fails the run instead of exiting 0. */
class StdoutTest {
  @TempDir Path dir;

  /** Runs {@code nabla} with stdout on {@code stdout}; returns the exit code and stderr. */
  private static String[] run(OutputStream stdout, Object... args) {
    String[] strings = java.util.Arrays.stream(args).map(Object::toString).toArray(String[]::new);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(stdout, err, strings);
    return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void gradToAFullDeviceFails() throws IOException {
    Path full = Path.of("/dev/full");
    assumeThat(Files.exists(full)).isTrue();
    try (FileOutputStream out = new FileOutputStream(full.toFile())) {
      String[] r = run(out, "grad", Cli.digits(dir));
      assertThat(r[0]).as(r[1]).isEqualTo("1");
      assertThat(r[1]).isEqualTo("nabla: cannot write the output to standard output: No space left on device;"
          + " it is incomplete\n");
    }
  }

  /** A disk that fills up after some bytes: the first bytes arrive, then every write fails. */
  @Test
  void predictToADiskThatFillsUpFails() throws IOException {
    Path digits = Cli.digits(dir);
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", digits, "-o", params).code()).isZero();
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      rows.append("0,".repeat(63)).append("1\n");
    }
    Path data = Files.writeString(dir.resolve("D.csv"), rows);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream fillsUp = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (written.size() + len > 20_000) {
          throw new IOException("No space left on device");
        }
        written.write(b, off, len);
      }
    };
    String[] r = run(fillsUp, "predict", digits, "--params", params, "--data", data);
    assertThat(r[0]).as(r[1]).isEqualTo("1");
    assertThat(r[1]).contains("nabla: cannot write the output to standard output: No space left on device");
    assertThat(written.size()).isPositive();

    ByteArrayOutputStream enough = new ByteArrayOutputStream();
    String[] ok = run(enough, "predict", digits, "--params", params, "--data", data);
    assertThat(ok[0]).as(ok[1]).isEqualTo("0");
    assertThat(enough.toString(StandardCharsets.UTF_8).lines()).hasSize(1001);
  }

  /** A reader that went away ({@code | head}) ends the run with 1 but without a message. */
  @Test
  void aClosedPipeFailsQuietly() {
    OutputStream closed = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    String[] r = run(closed, "grad", Cli.digits(dir));
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).isEmpty();
  }
}
