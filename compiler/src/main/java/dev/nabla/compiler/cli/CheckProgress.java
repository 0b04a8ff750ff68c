package dev.nabla.compiler.cli;

import dev.nabla.runtime.GradientCheck;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code nabla check} shows on stderr while it works through a large model (four forward
 * passes per entry: a million params take minutes). On a terminal one line rewritten in place
 * and cleared at the end; otherwise a plain line every {@code interval}, so that a check
 * finishing sooner prints nothing and a log gets a few lines.
 */
final class CheckProgress implements GradientCheck.Progress, AutoCloseable {
  /** Between plain lines. */
  static final long LINE_INTERVAL_NANOS = 10_000_000_000L;
  /** Between updates of the terminal line. */
  private static final long TERMINAL_INTERVAL_NANOS = 200_000_000L;

  private final PrintWriter lines;
  private final PrintStream terminal;
  private final long interval;
  private final long start = System.nanoTime();
  private long last = start;
  private int shownWidth;

  /** {@code terminal} is stderr when it is a terminal, else null for plain lines to {@code lines}. */
  CheckProgress(PrintWriter lines, PrintStream terminal, long lineIntervalNanos) {
    this.lines = lines;
    this.terminal = terminal;
    this.interval = terminal != null ? TERMINAL_INTERVAL_NANOS : lineIntervalNanos;
  }

  @Override
  public void checked(String name, long done, long total) {
    long now = System.nanoTime();
    if (now - last < interval || done == total) {
      return;
    }
    last = now;
    String text = String.format(Locale.ROOT, "nabla: checking %s: %,d of %,d entries (%d%%, %d s)",
        name, done, total, done * 100 / total, (now - start) / 1_000_000_000L);
    if (terminal != null) {
      terminal.print("\r" + VisibleText.escape(text) + " ".repeat(Math.max(0, shownWidth - text.length())));
      terminal.flush();
      shownWidth = text.length();
    } else {
      lines.println(text);
      lines.flush();
    }
  }

  /** Clears the terminal line, so the results start on a clean line. */
  @Override
  public void close() {
    if (terminal != null && shownWidth > 0) {
      terminal.print("\r" + " ".repeat(shownWidth) + "\r");
      terminal.flush();
    }
  }
}
