package dev.nabla.compiler.cli;

import dev.nabla.runtime.train.EpochStats;
import dev.nabla.runtime.train.Scorer;
import dev.nabla.runtime.train.TrainListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What {@code nabla train} shows while it trains: on a terminal a progress bar per epoch
 * (me.tongfei:progressbar, with the running mean loss), and in every case one line per finished
 * epoch. When stdout is not a terminal (a pipe, a file, CI) only the lines are printed, so logs
 * stay clean and the same seed gives the same text.
 */
final class TrainProgress implements TrainListener, AutoCloseable {
  private final PrintWriter out;
  private final PrintStream terminal;
  private final Scorer.Task task;
  private final boolean hasTest;
  private final List<EpochStats> history = new ArrayList<>();
  private ProgressBar bar;
  private long lastUpdate;
  private int width;

  /** {@code terminal} is the stream to draw bars on, or null for plain lines only. */
  TrainProgress(PrintWriter out, PrintStream terminal, Scorer.Task task, boolean hasTest) {
    this.out = out;
    this.terminal = terminal;
    this.task = task;
    this.hasTest = hasTest;
  }

  /** True when stdout is an interactive terminal (JDK 22+: {@code System.console()} may exist for pipes too). */
  static boolean stdoutIsTerminal() {
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }

  /**
   * The terminal's width: {@code $COLUMNS}, else {@code stty size} on {@code /dev/tty}, else 80.
   * Passing it to the bar keeps progressbar from asking JLine, which loads a native library (and
   * the JDK then warns about a restricted method).
   */
  static int terminalWidth() {
    try {
      String columns = System.getenv("COLUMNS");
      if (columns != null && columns.matches("\\d{2,4}")) {
        return Integer.parseInt(columns);
      }
      java.io.File tty = new java.io.File("/dev/tty");
      if (tty.exists()) {
        Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        if (p.waitFor() == 0 && text.matches("\\d+ \\d+")) {
          int w = Integer.parseInt(text.substring(text.indexOf(' ') + 1));
          if (w >= 20) {
            return w;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the default
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 80;
  }

  @Override
  public void epochStarted(int epoch, int epochs, int steps) {
    if (terminal == null) {
      return;
    }
    out.flush();
    if (width == 0) {
      width = terminalWidth();
    }
    bar = new ProgressBarBuilder()
        .setTaskName(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d", epoch, epochs))
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setConsumer(new ConsoleProgressBarConsumer(terminal, Math.min(width - 1, 110)))
        .setUpdateIntervalMillis(100)
        .clearDisplayOnFinish()
        .build();
    lastUpdate = 0;
  }

  @Override
  public void stepFinished(int epoch, int step, int steps, double meanLoss) {
    if (bar == null) {
      return;
    }
    long now = System.nanoTime();
    if (step == steps || now - lastUpdate > 50_000_000L) {
      lastUpdate = now;
      bar.stepTo(step);
      bar.setExtraMessage("loss " + DataLoading.number(meanLoss));
    }
  }

  @Override
  public void epochFinished(EpochStats s, int epochs) {
    closeBar();
    history.add(s);
    out.println(line(s, epochs));
    out.flush();
  }

  /** {@code "epoch  3/20  loss 0.1234  train acc 0.9612  test loss 0.1456  test acc 0.9583"}. */
  String line(EpochStats s, int epochs) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d", s.epoch(), epochs));
    sb.append("  loss ").append(DataLoading.number(s.trainLoss()));
    if (task == Scorer.Task.CLASSIFICATION) {
      sb.append("  train acc ").append(DataLoading.number(s.trainMetric()));
    }
    if (hasTest) {
      sb.append("  test loss ").append(DataLoading.number(s.testLoss()));
      if (task == Scorer.Task.CLASSIFICATION) {
        sb.append("  test acc ").append(DataLoading.number(s.testMetric()));
      } else if (task == Scorer.Task.REGRESSION) {
        sb.append("  test R2 ").append(DataLoading.number(s.testMetric()));
      }
    }
    return sb.toString();
  }

  /** The finished epochs so far. */
  List<EpochStats> history() {
    return history;
  }

  private static int digits(int n) {
    return Integer.toString(n).length();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void close() {
    closeBar();
  }
}
