package dev.nabla.spark;

import dev.nabla.runtime.Rng;
import dev.nabla.runtime.data.Dataset;

/** Synthetic data for the test models: reproducible from a seed, small enough for CI. */
final class TestData {
  private TestData() {}

  /** Three overlapping Gaussian blobs in 4 dimensions, one-hot targets of width 3 (for Iris). */
  static Dataset blobs(int rows, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[rows * 4];
    float[] y = new float[rows * 3];
    for (int r = 0; r < rows; r++) {
      int c = r % 3;
      for (int j = 0; j < 4; j++) {
        x[r * 4 + j] = (float) ((j == c ? 2.0 : 0.0) + rng.nextGaussian());
      }
      y[r * 3 + c] = 1;
    }
    return new Dataset("blobs", rows, 4, 3, x, y, null, false);
  }

  /** d = w . x + 0.5 + noise over 10 features (for Regression). */
  static Dataset line(int rows, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[rows * 10];
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      double d = 0.5;
      for (int j = 0; j < 10; j++) {
        float v = (float) rng.nextGaussian();
        x[r * 10 + j] = v;
        d += (j - 4.5) / 5 * v;
      }
      y[r] = (float) (d + 0.1 * rng.nextGaussian());
    }
    return new Dataset("line", rows, 10, 1, x, y, null, false);
  }

  /** 8x8 "images" of 10 classes, each class a noisy bright bar at its own place (for Digits). */
  static Dataset digits(int rows, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[rows * 64];
    float[] y = new float[rows * 10];
    for (int r = 0; r < rows; r++) {
      int c = r % 10;
      for (int j = 0; j < 64; j++) {
        x[r * 64 + j] = (float) ((j % 10 == c ? 1.0 : 0.0) + 0.3 * rng.nextGaussian());
      }
      y[r * 10 + c] = 1;
    }
    return new Dataset("digits", rows, 64, 10, x, y, null, false);
  }
}
