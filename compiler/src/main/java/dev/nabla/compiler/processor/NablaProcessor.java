package dev.nabla.compiler.processor;

import com.sun.source.util.Trees;
import dev.nabla.annotations.NablaModel;
import dev.nabla.annotations.NablaModels;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.Diagnostic;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.parse.SourceReader;
import dev.nabla.compiler.pipeline.ModelSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * The annotation processor for {@link NablaModel}: for every model of every annotation it runs
 * the compiler's pipeline (the same as {@code nabla compile}) and writes {@code <Model>},
 * {@code <Model>Forward} and {@code <Model>Backward} into the annotated element's package, each
 * with the annotated element as its only originating element (an isolating processor, in
 * Gradle's terms).
 *
 * <p>Errors go to javac's {@link Messager} on the annotated element and the annotation's
 * {@code value} or {@code file}: model errors with the {@code .nn} file, line, column, source line
 * and caret; anything that goes wrong inside Nabla as an "internal error", never as an exception
 * out of javac. Options: {@value #PRECISION} ({@code float}, the default, or {@code double}),
 * {@value #EMIT_TESTS} (also write a JUnit gradient-check test per model; needs double),
 * {@value #MODEL_DIR} (where relative {@code file}s are looked up first; see {@link ModelFiles})
 * and {@value #WERROR} (warnings about a model, reported as javac warnings, become errors).
 * Messages are in {@link Messages}.
 */
public final class NablaProcessor extends AbstractProcessor {
  /** Option: the element type of the generated code, {@code float} (default) or {@code double}. */
  public static final String PRECISION = "nabla.precision";
  /** Option: {@code true} to also write {@code <Model>GradientCheckTest} (JUnit 5) per model. */
  public static final String EMIT_TESTS = "nabla.emitTests";
  /** Option: directories (path-separator list) where relative model files are looked up first. */
  public static final String MODEL_DIR = "nabla.modelDir";
  /** Option: {@code true} to report warnings about a model (an unused param) as errors. */
  public static final String WERROR = "nabla.werror";

  private static final int MAX_TRACE_LINES = 40;

  private final ModelPipeline pipeline;
  private Messager messager;
  /** javac's trees, to place messages on repeated annotations; null outside javac. */
  private Trees trees;
  /** The {@code @NablaModel} type. */
  private TypeElement annotation;
  private ModelFiles files;
  private Precision precision = Precision.FLOAT;
  private boolean emitTests;
  private boolean werror;
  private boolean optionsOk = true;

  /** What generated a class: the model and the element whose annotation holds it. */
  private record Origin(String model, String element) {}

  /** Every class generated in this compilation, to what generated it. */
  private final Map<String, Origin> generated = new HashMap<>();
  /** The top-level types the sources of this compilation declare (not the generated ones). */
  private final Set<String> sourceTypes = new HashSet<>();

  /** The processor javac finds through {@code META-INF/services}. */
  public NablaProcessor() {
    this(ModelPipeline.STANDARD);
  }

  /** A processor with another pipeline (tests use it to make Nabla fail on purpose). */
  NablaProcessor(ModelPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(NablaModel.class.getCanonicalName(), NablaModels.class.getCanonicalName());
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(PRECISION, EMIT_TESTS, MODEL_DIR, WERROR);
  }

  /** A true/false option; given without a value ({@code -Aname}) it is true; false if absent. */
  private boolean booleanOption(Map<String, String> options, String name, String badValue) {
    if (!options.containsKey(name)) {
      return false;
    }
    String v = options.get(name);
    return switch (v == null ? "true" : v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "" -> true;
      case "false" -> false;
      default -> {
        optionError(String.format(badValue, v));
        yield false;
      }
    };
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    messager = env.getMessager();
    try {
      trees = Trees.instance(env);
    } catch (IllegalArgumentException | LinkageError e) {
      trees = null; // not javac's own environment (another compiler, or wrapped by a build tool)
    }
    Map<String, String> options = env.getOptions();
    String p = options.get(PRECISION);
    if (p != null) {
      switch (p.strip().toLowerCase(Locale.ROOT)) {
        case "float" -> precision = Precision.FLOAT;
        case "double" -> precision = Precision.DOUBLE;
        default -> optionError(String.format(Messages.BAD_PRECISION, p));
      }
    }
    emitTests = booleanOption(options, EMIT_TESTS, Messages.BAD_EMIT_TESTS);
    werror = booleanOption(options, WERROR, Messages.BAD_WERROR);
    if (optionsOk && emitTests && precision != Precision.DOUBLE) {
      optionError(Messages.EMIT_TESTS_NEEDS_DOUBLE);
    }
    files = new ModelFiles(env, options.get(MODEL_DIR));
  }

  private void optionError(String message) {
    optionsOk = false;
    messager.printMessage(javax.tools.Diagnostic.Kind.ERROR, message);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (Element e : round.getRootElements()) {
      if (e instanceof TypeElement t && !generated.containsKey(t.getQualifiedName().toString())) {
        sourceTypes.add(t.getQualifiedName().toString());
      }
    }
    if (!optionsOk || annotations.isEmpty()) {
      return true;
    }
    TypeElement single = processingEnv.getElementUtils().getTypeElement(NablaModel.class.getCanonicalName());
    TypeElement container = processingEnv.getElementUtils().getTypeElement(NablaModels.class.getCanonicalName());
    Set<Element> annotated = new LinkedHashSet<>();
    if (single != null) {
      annotated.addAll(round.getElementsAnnotatedWith(single));
    }
    if (container != null) {
      annotated.addAll(round.getElementsAnnotatedWith(container));
    }
    annotation = single;
    for (Element element : annotated) {
      for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
        Element type = mirror.getAnnotationType().asElement();
        if (type.equals(single)) {
          handle(new Place(element, mirror, -1, null, null));
        } else if (type.equals(container)) {
          List<AnnotationMirror> inner = repeated(mirror);
          for (int i = 0; i < inner.size(); i++) {
            handle(new Place(element, inner.get(i), i, null, null));
          }
        }
      }
    }
    // The annotations are Nabla's: claiming them keeps -Xlint:processing quiet.
    return true;
  }

  /** The {@code @NablaModel}s inside a {@code @NablaModels} container. */
  private static List<AnnotationMirror> repeated(AnnotationMirror container) {
    AnnotationValue v = member(container, "value");
    if (v == null || !(v.getValue() instanceof List<?> list)) {
      return List.of();
    }
    return list.stream()
        .map(x -> ((AnnotationValue) x).getValue())
        .filter(AnnotationMirror.class::isInstance)
        .map(AnnotationMirror.class::cast)
        .toList();
  }

  /** An explicitly written member of an annotation, or null. */
  private static AnnotationValue member(AnnotationMirror mirror, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String string(AnnotationValue v) {
    return v != null && v.getValue() instanceof String s ? s : "";
  }

  /** One {@code @NablaModel}: never throws. */
  private void handle(Place annotated) {
    AnnotationValue valueMember = member(annotated.mirror(), "value");
    AnnotationValue fileMember = member(annotated.mirror(), "file");
    Place at = fileMember != null ? annotated.about("file", fileMember) : annotated.about("value", valueMember);
    try {
      generate(annotated, valueMember, fileMember);
    } catch (RuntimeException | Error e) {
      error(Messages.INTERNAL_ERROR + trace(e), at);
    }
  }

  private void generate(Place annotated, AnnotationValue valueMember, AnnotationValue fileMember) {
    Element element = annotated.element();
    String value = string(valueMember);
    String file = string(fileMember);
    if (!value.isBlank() && !file.isBlank()) {
      error(Messages.VALUE_AND_FILE, annotated.about("file", fileMember));
      return;
    }
    if (value.isBlank() && file.isBlank()) {
      error(Messages.NO_MODEL, annotated);
      return;
    }
    String packageName = processingEnv.getElementUtils().getPackageOf(element).getQualifiedName().toString();
    Source source;
    String reportedAs;
    Place at;
    if (!value.isBlank()) {
      source = new Source(inlineName(element), value);
      reportedAs = source.path();
      at = annotated.about("value", valueMember);
    } else {
      at = annotated.about("file", fileMember);
      ModelFiles.Lookup lookup = files.find(file, element);
      if (lookup.readError() != null) {
        error(Messages.IN_MODEL + lookup.readError(), at);
        return;
      }
      if (lookup.found() == null) {
        StringBuilder m = new StringBuilder(String.format(Messages.MISSING_FILE, file));
        for (String place : lookup.lookedIn()) {
          m.append("\n  ").append(place);
        }
        error(m.toString(), at);
        return;
      }
      reportedAs = lookup.found().displayName();
      Diagnostics decoding = new Diagnostics();
      Source read = SourceReader.decode(reportedAs, lookup.found().bytes(), decoding);
      if (read == null) {
        report(decoding.sorted(), reportedAs, reportedAs, at);
        return;
      }
      // The sources name the file as written in the annotation, so they do not depend on where
      // the build runs; messages name the file that was read.
      source = new Source(file, read.text());
    }
    Source finalSource = source;
    ModelSources.Output out =
        BigStack.run(() -> pipeline.run(finalSource, packageName, precision, emitTests));
    if (report(out.diagnostics(), source.path(), reportedAs, at)) {
      return;
    }
    for (ModelSources.GeneratedModel model : out.models()) {
      if (clashes(model, at, packageName)) {
        continue;
      }
      Origin origin = new Origin(model.name(), describe(element));
      for (ModelSources.GeneratedFile f : model.files()) {
        generated.put(f.qualifiedName(), origin);
      }
      for (ModelSources.GeneratedFile f : model.files()) {
        if (!write(f, model, at)) {
          break;
        }
      }
    }
  }

  /** Reports the model's diagnostics; true if one is an error. */
  private boolean report(List<Diagnostic> diagnostics, String sourceName, String reportedAs, Place at) {
    boolean errors = false;
    for (Diagnostic d : diagnostics) {
      Diagnostic shown = d;
      if (d.source() != null && d.source().path().equals(sourceName) && !sourceName.equals(reportedAs)) {
        shown = new Diagnostic(d.severity(), new Source(reportedAs, d.source().text()), d.span(), d.message());
      }
      javax.tools.Diagnostic.Kind kind =
          switch (d.severity()) {
            case ERROR -> javax.tools.Diagnostic.Kind.ERROR;
            case WARNING -> werror ? javax.tools.Diagnostic.Kind.ERROR : javax.tools.Diagnostic.Kind.WARNING;
            case NOTE -> javax.tools.Diagnostic.Kind.NOTE;
          };
      errors |= kind == javax.tools.Diagnostic.Kind.ERROR;
      at.print(kind, Messages.IN_MODEL + DiagnosticRenderer.render(shown), messager, trees, annotation);
    }
    return errors;
  }

  /** Reports and returns true if a class of {@code model} is taken already. */
  private boolean clashes(ModelSources.GeneratedModel model, Place at, String packageName) {
    String modelClass = model.files().getFirst().qualifiedName();
    Origin same = generated.get(modelClass);
    if (same != null && same.model().equals(model.name())) {
      error(String.format(Messages.DUPLICATE_MODEL, model.name(), packageName.isEmpty() ? "(unnamed)" : packageName,
          same.element()), at);
      return true;
    }
    for (ModelSources.GeneratedFile f : model.files()) {
      Origin other = generated.get(f.qualifiedName());
      if (other != null) {
        error(String.format(Messages.GENERATED_CLASH, model.name(), f.qualifiedName(), other.model(), other.element()),
            at);
        return true;
      }
      if (sourceTypes.contains(f.qualifiedName())) {
        error(String.format(Messages.CLASS_EXISTS, model.name(), f.qualifiedName()), at);
        return true;
      }
    }
    return false;
  }

  private boolean write(ModelSources.GeneratedFile f, ModelSources.GeneratedModel model, Place at) {
    try {
      JavaFileObject out = processingEnv.getFiler().createSourceFile(f.qualifiedName(), at.element());
      try (Writer w = out.openWriter()) {
        w.write(f.text());
      }
      return true;
    } catch (FilerException e) {
      // javac refuses a class that a source of this compilation declares.
      error(String.format(Messages.CLASS_EXISTS, model.name(), f.qualifiedName()), at);
      return false;
    } catch (IOException e) {
      error(String.format(Messages.CANNOT_WRITE, f.qualifiedName(), e.getMessage()), at);
      return false;
    }
  }

  private void error(String message, Place at) {
    at.print(javax.tools.Diagnostic.Kind.ERROR, message, messager, trees, annotation);
  }

  /** The name an inline model is reported and documented under. */
  private static String inlineName(Element element) {
    return String.format(Messages.INLINE_SOURCE, describe(element));
  }

  private static String describe(Element element) {
    if (element instanceof PackageElement p) {
      return "package " + (p.isUnnamed() ? "(unnamed)" : p.getQualifiedName());
    }
    if (element instanceof TypeElement t) {
      return t.getQualifiedName().toString();
    }
    return element.toString();
  }

  private static String trace(Throwable e) {
    StringWriter s = new StringWriter();
    e.printStackTrace(new PrintWriter(s));
    List<String> lines = s.toString().lines().toList();
    if (lines.size() <= MAX_TRACE_LINES) {
      return String.join("\n", lines);
    }
    return String.join("\n", lines.subList(0, MAX_TRACE_LINES)) + "\n\t...";
  }
}
