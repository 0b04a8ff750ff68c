package dev.nabla.compiler.processor;

/**
 * Every message the annotation processor prints, in one place, so that its tests assert on the
 * same text the processor prints. A {@code %s} is filled in with {@link String#format}.
 */
public final class Messages {
  private Messages() {}

  /**
   * Precedes each error or warning of the model itself, which follows as
   * {@code DiagnosticRenderer.render} shows it: {@code file:line:col: error: message}, the source
   * line and a caret line.
   */
  public static final String IN_MODEL = "in the model: ";

  /**
   * The name an inline model is reported under (and named by in the generated sources' comments):
   * the annotated class ({@code p.Models}) or package ({@code package p}).
   */
  public static final String INLINE_SOURCE = "<inline in %s>";

  /** A relative or absolute {@code file} that is nowhere; a list of the places looked in follows. */
  public static final String MISSING_FILE = "cannot find the model file '%s'; looked in:";

  /** Both {@code value} and {@code file} given. */
  public static final String VALUE_AND_FILE =
      "@NablaModel takes the model inline (value) or from a file (file), not both";

  /** Neither {@code value} nor {@code file} given. */
  public static final String NO_MODEL =
      "@NablaModel needs a model: inline as its value, or file = \"path/to/model.nn\"";

  /** Two models of one name for one package: model name, package, the other annotated element. */
  public static final String DUPLICATE_MODEL =
      "model %s is defined twice for package %s: it is also defined by @NablaModel on %s";

  /**
   * A generated class that another model of this compilation also generates: model, class, the
   * other model, the element that defines it.
   */
  public static final String GENERATED_CLASH =
      "model %s would generate class %s, which model %s (@NablaModel on %s) generates too";

  /** A generated class that the sources of this compilation already declare: model, class. */
  public static final String CLASS_EXISTS =
      "model %s would generate class %s, but a class of that name already exists; rename the model or the class";

  /** Writing a generated source failed: class, reason. */
  public static final String CANNOT_WRITE = "cannot write the generated source %s: %s";

  /** Any exception in Nabla itself; the exception and its stack follow. */
  public static final String INTERNAL_ERROR = "internal error in Nabla, please report: ";

  /** A bad {@code -Anabla.precision}: the value given. */
  public static final String BAD_PRECISION = "-Anabla.precision must be float or double, not '%s'";

  /** A bad {@code -Anabla.emitTests}: the value given. */
  public static final String BAD_EMIT_TESTS = "-Anabla.emitTests must be true or false, not '%s'";

  /** A bad {@code -Anabla.werror}: the value given. */
  public static final String BAD_WERROR = "-Anabla.werror must be true or false, not '%s'";

  /** {@code -Anabla.emitTests=true} with float precision. */
  public static final String EMIT_TESTS_NEEDS_DOUBLE =
      "-Anabla.emitTests=true needs -Anabla.precision=double: the gradient check runs in double"
          + " precision (compile the models a second time in double, for example from test sources)";
}
