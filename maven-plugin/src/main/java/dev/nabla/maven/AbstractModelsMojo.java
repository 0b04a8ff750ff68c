package dev.nabla.maven;

import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.Diagnostic;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Severity;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.parse.SourceReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.SourceVersion;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What both goals share: which model files there are, how they are read, and how errors are reported. */
abstract class AbstractModelsMojo extends AbstractMojo {
  /** The directory that holds the model files; its subdirectories give their Java packages. */
  @Parameter(property = "nabla.sourceDirectory", defaultValue = "${project.basedir}/src/main/nabla")
  File sourceDirectory;

  /** Ant-style patterns of the model files, relative to {@code sourceDirectory}. */
  @Parameter
  List<String> includes = new ArrayList<>(List.of("**/*.nn"));

  /** Ant-style patterns of files to leave out. */
  @Parameter
  List<String> excludes = new ArrayList<>();

  /**
   * The Java package of every generated class. When not set, a model's package is its file's
   * directory under {@code sourceDirectory}: {@code src/main/nabla/com/example/xor.nn} gives
   * {@code com.example}.
   */
  @Parameter(property = "nabla.packageName")
  String packageName;

  /** Skips the goal. */
  @Parameter(property = "nabla.skip", defaultValue = "false")
  boolean skip;

  /** The model files, relative to {@code sourceDirectory}, with {@code /}. */
  List<String> modelFiles() {
    return ModelScan.scan(sourceDirectory.toPath(), includes, excludes);
  }

  /** The package of a model file's classes, or null (with a diagnostic) when its directory is no package name. */
  String packageOf(String model, Source source, List<Diagnostic> problems) {
    if (packageName != null && !packageName.isBlank()) {
      return packageName.strip();
    }
    int slash = model.lastIndexOf('/');
    String pkg = slash < 0 ? "" : model.substring(0, slash).replace('/', '.');
    if (!pkg.isEmpty() && !SourceVersion.isName(pkg)) {
      problems.add(new Diagnostic(Severity.ERROR, source, dev.nabla.compiler.ast.Span.NONE,
          "the directory '" + model.substring(0, slash) + "' is not a Java package name; rename it, or set"
              + " <packageName> in the plugin's configuration"));
      return null;
    }
    return pkg;
  }

  /** Reads a model file as {@code nabla compile} does (strict UTF-8, size limit); null with diagnostics when it cannot. */
  Source read(String model, List<Diagnostic> problems) throws MojoFailureException {
    Path file = sourceDirectory.toPath().toAbsolutePath().normalize().resolve(model);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MojoFailureException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Diagnostics decoding = new Diagnostics();
    Source source = SourceReader.decode(file.toString(), bytes, decoding);
    problems.addAll(decoding.sorted());
    return source;
  }

  /** {@code float} or {@code double}, else a configuration error naming the parameter. */
  static Precision precision(String value) throws MojoFailureException {
    return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
      case "float" -> Precision.FLOAT;
      case "double" -> Precision.DOUBLE;
      default -> throw new MojoFailureException("<precision> is float or double, not '" + value + "'");
    };
  }

  /**
   * Logs every warning and fails with every error, each as {@code file:line:col: error: message}
   * with the source line and a caret, all of them in one failure.
   */
  void report(List<Diagnostic> diagnostics, String what) throws MojoFailureException {
    List<String> errors = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      if (d.severity() == Severity.ERROR) {
        errors.add(DiagnosticRenderer.render(d));
      } else if (d.severity() == Severity.WARNING) {
        getLog().warn(DiagnosticRenderer.render(d));
      } else {
        getLog().info(DiagnosticRenderer.render(d));
      }
    }
    if (!errors.isEmpty()) {
      String summary = errors.size() == 1 ? "1 error" : errors.size() + " errors";
      throw new MojoFailureException(summary + " in the Nabla models; " + what + ":\n" + String.join("\n", errors) + "\n");
    }
  }
}
