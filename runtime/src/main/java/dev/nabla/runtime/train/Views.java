package dev.nabla.runtime.train;

import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;

/**
 * The arrays a run returns for a fixed list of names, fetched once per run and kept for the two
 * most recent runs (a trainer uses a full-batch run and a last-batch run). A run's arrays are
 * live views of buffers it keeps for its whole life, so they stay valid; fetching them again
 * every step would allocate in runs that wrap their buffers on each call.
 */
final class Views {
  /** Which arrays. */
  enum Kind { INPUT, OUTPUT, GRADIENT }

  private final Kind kind;
  private final String[] names;
  private ModelRun run0;
  private ModelRun run1;
  private NdArray[] views0;
  private NdArray[] views1;
  private boolean replaceSecond;

  Views(Kind kind, String... names) {
    this.kind = kind;
    this.names = names.clone();
  }

  /** The arrays of {@code run}, in the order of the names. */
  NdArray[] of(ModelRun run) {
    if (run == run0) {
      return views0;
    }
    if (run == run1) {
      return views1;
    }
    NdArray[] views = new NdArray[names.length];
    for (int i = 0; i < names.length; i++) {
      views[i] = switch (kind) {
        case INPUT -> run.input(names[i]);
        case OUTPUT -> run.output(names[i]);
        case GRADIENT -> run.gradient(names[i]);
      };
    }
    if (replaceSecond) {
      run1 = run;
      views1 = views;
    } else {
      run0 = run;
      views0 = views;
    }
    replaceSecond = !replaceSecond;
    return views;
  }
}
