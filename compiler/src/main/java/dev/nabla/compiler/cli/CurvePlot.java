package dev.nabla.compiler.cli;

import dev.nabla.runtime.train.EpochStats;
import dev.nabla.runtime.train.Scorer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training curves as a PNG (XChart, drawn headless): on the left the training and test loss
 * per epoch, on the right the training and test accuracy (classifiers) or the test R²
 * (regressions). Written atomically (a temporary file moved into place).
 */
final class CurvePlot {
  static final int WIDTH = 640;
  static final int HEIGHT = 420;

  private CurvePlot() {}

  /** {@code P.npz} → {@code P.png} (any other name gets {@code .png} appended). */
  static Path pathFor(Path params) {
    String name = params.getFileName().toString();
    String stem = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
    return params.resolveSibling(stem + ".png");
  }

  static void write(Path png, String title, List<EpochStats> history, Scorer.Task task, boolean hasTest)
      throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    int n = history.size();
    double[] epochs = new double[n];
    double[] trainLoss = new double[n];
    double[] testLoss = new double[n];
    double[] trainMetric = new double[n];
    double[] testMetric = new double[n];
    for (int i = 0; i < n; i++) {
      EpochStats s = history.get(i);
      epochs[i] = s.epoch();
      trainLoss[i] = s.trainLoss();
      testLoss[i] = s.testLoss();
      trainMetric[i] = s.trainMetric();
      testMetric[i] = s.testMetric();
    }
    XYChart loss = chart(title + ": loss", "mean loss", Styler.LegendPosition.InsideNE);
    add(loss, "training", epochs, trainLoss);
    if (hasTest) {
      add(loss, "test", epochs, testLoss);
    }
    XYChart metric = null;
    if (task == Scorer.Task.CLASSIFICATION) {
      metric = chart(title + ": accuracy", "accuracy", Styler.LegendPosition.InsideSE);
      add(metric, "training", epochs, trainMetric);
      if (hasTest) {
        add(metric, "test", epochs, testMetric);
      }
    } else if (task == Scorer.Task.REGRESSION && hasTest) {
      metric = chart(title + ": R\u00b2", "R\u00b2", Styler.LegendPosition.InsideSE);
      add(metric, "test", epochs, testMetric);
    }
    int charts = metric == null ? 1 : 2;
    BufferedImage image = new BufferedImage(WIDTH * charts, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      loss.paint(g, WIDTH, HEIGHT);
      if (metric != null) {
        g.translate(WIDTH, 0);
        metric.paint(g, WIDTH, HEIGHT);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.setUseCache(false);   // a file cache would register a shutdown hook: impossible after Ctrl-C
    ImageIO.write(image, "png", bytes);
    Outputs.write(png, bytes::writeTo);
  }

  private static XYChart chart(String title, String yTitle, Styler.LegendPosition legend) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle(yTitle)
        .build();
    Styler s = c.getStyler();
    s.setLegendPosition(legend);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    c.getStyler().setXAxisDecimalPattern("#");
    return c;
  }

  private static void add(XYChart chart, String name, double[] x, double[] y) {
    XYSeries series = chart.addSeries(name, x, y);
    series.setMarker(x.length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
  }
}
