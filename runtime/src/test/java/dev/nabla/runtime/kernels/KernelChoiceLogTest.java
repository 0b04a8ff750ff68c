package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 23: the runtime never writes to a user's standard error; which kernels it uses
 * goes to {@link System.Logger} ({@code dev.nabla.runtime}), where the application's logging
 * configuration decides.
 */
class KernelChoiceLogTest {
  @Test
  void theChoiceIsLoggedNotPrinted() {
    String active = Gemm.kernels();   // the selection at class initialisation, before the capture
    Logger logger = Logger.getLogger("dev.nabla.runtime");
    Level level = logger.getLevel();
    boolean parents = logger.getUseParentHandlers();
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      logger.setLevel(Level.ALL);
      logger.setUseParentHandlers(false);
      logger.addHandler(handler);
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      KernelSelection.Chosen chosen = KernelSelection.choose();
      assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(records).hasSize(1);
      assertThat(records.getFirst().getMessage()).isEqualTo("nabla: using " + chosen.line());
      assertThat(records.getFirst().getLevel()).isEqualTo(chosen.whyNotSimd() == null ? Level.FINE : Level.INFO);
      assertThat(active).isEqualTo(chosen.line());
    } finally {
      System.setErr(err);
      logger.removeHandler(handler);
      logger.setUseParentHandlers(parents);
      logger.setLevel(level);
    }
  }
}
