package dev.nabla.compiler.codegen;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names the generated code gives its locals, loop variables and the fields every
 * generated class has. Templates use these constants, and {@link JavaNames} keeps model values
 * off every one of them ({@link #ALL}), so a value called {@code acc} or {@code b} cannot
 * shadow one: a name written here is reserved without being listed twice.
 */
final class Locals {
  private Locals() {}

  private static final Set<String> NAMES = new LinkedHashSet<>();

  /** Every name below. */
  static final Set<String> ALL = Collections.unmodifiableSet(NAMES);

  // ---- indices
  /** The instance of a batch. */
  static final Ix.Var B = index("b");
  /** Element indices. */
  static final Ix.Var I = index("i");
  static final Ix.Var J = index("j");
  static final Ix.Var Q = index("q");
  /** One index per axis, for loops nested per axis of a value of rank up to 6 ({@link Ix.Nd}). */
  static final List<Ix.Var> AXES =
      List.of(index("ix0"), index("ix1"), index("ix2"), index("ix3"), index("ix4"), index("ix5"));
  /** The first and one past the last instance of a loop method's range. */
  static final Ix.Var FROM = index("from");
  static final Ix.Var TO = index("to");
  /** The batch size (a field of the forward and backward classes). */
  static final Ix.Var BATCH = index("batch");
  /** The step of a recurrence's loop. */
  static final Ix.Var T = index("t");
  /** The position of the largest element so far (argmax, maxpool masks). */
  static final Ix.Var BEST = index("best");

  // ---- values
  /** A running sum or extreme. */
  static final String ACC = name("acc");
  /** Softmax's row maximum, sum of exponentials, its log, its reciprocal, and one exponential. */
  static final String MAX = name("max");
  static final String TOTAL = name("total");
  static final String LOG_TOTAL = name("logTotal");
  static final String SCALE = name("scale");
  static final String E = name("e");
  /** One element of kl's first argument. */
  static final String DJ = name("dj");

  // ---- fields of the generated forward and backward classes
  static final String MODEL = name("model");
  /** 1 / batch, in the generated precision. */
  static final String INV_B = name("invB");
  /** The backward class's forward pass. */
  static final String FORWARD = name("f");
  /** The loop number of {@code rows(loop, from, to)}. */
  static final String LOOP = name("loop");
  /** The backward class's switch: take the params' SGD step in this pass ({@code backwardAndSgd}). */
  static final String SGD = name("sgd");
  /** Its learning rate, in the generated precision. */
  static final String SGD_RATE = name("sgdRate");
  /** The backward class's step of the params not updated in their gradient's product. */
  static final String SGD_UPDATE = name("sgdUpdate");

  private static Ix.Var index(String name) {
    return new Ix.Var(name(name));
  }

  private static String name(String name) {
    NAMES.add(name);
    return name;
  }
}
