package dev.nabla.compiler.cli;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.MemoryStats;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nabla compile FILE.nn -d DIR}: writes the generated sources of every model. */
@Command(
    name = "compile",
    description = "Write the generated Java sources for every model in FILE (or only check it with --check).")
final class CompileCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the .nn model file")
  Path file;

  @Option(names = "-d", paramLabel = "DIR", description = "directory to write the sources under")
  Path directory;

  @Option(names = "--package", paramLabel = "P", description = "Java package of the generated classes (default: none)")
  String packageName = "";

  @Option(names = "--precision", paramLabel = "float|double", description = "element type (default: float)")
  String precision = "float";

  @Option(names = "--check", description = "run every check but write nothing; print nothing on success")
  boolean checkOnly;

  @Option(names = "--stats", description = "print each model's planned buffer memory")
  boolean stats;

  @CommandLine.Mixin WarningsOption warnings;

  @Override
  public Integer call() {
    Precision p = Options.precision(precision, spec.commandLine());
    if (!checkOnly && directory == null && !stats) {
      throw new CommandLine.ParameterException(spec.commandLine(), "say where to write the sources with -d DIR (or use --check)");
    }
    Options.packageName(packageName, spec.commandLine());
    return BigStack.run(() -> {
      try {
        Frontend.Result result = Loaded.frontend(file, spec.commandLine().getErr(), warnings.werror);
        // --check runs every phase (the derivative's size limit is checked only once it is
        // made) and skips only the writing.
        List<JavaFile> files = new ArrayList<>();
        Diagnostics diagnostics = new Diagnostics();
        for (CheckedModel m : result.models()) {
          Derivation d = Derivation.of(m, diagnostics);
          if (d != null) {
            files.addAll(CodeGenerator.generate(d, new CodeGenerator.Options(packageName, p)));
            if (stats) {
              printStats(m.name(), MemoryStats.of(d), p);
            }
          }
        }
        if (diagnostics.hasErrors()) {
          spec.commandLine().getErr().print(DiagnosticRenderer.renderAll(diagnostics));
          return ExitCodes.ERRORS;
        }
        for (JavaFile f : directory == null || checkOnly ? List.<JavaFile>of() : files) {
          write(f);
        }
        return ExitCodes.OK;
      } catch (Loaded.Exit exit) {
        return exit.code;
      }
    });
  }

  /** Planned buffer bytes, as a function of the batch size B. */
  private void printStats(String model, MemoryStats s, Precision p) {
    int bytes = p == Precision.FLOAT ? 4 : 8;
    spec.commandLine().getOut().printf(java.util.Locale.ROOT,
        "%s: buffers %d * B + %d bytes (%s); without sharing %d * B + %d; B = 256: %d bytes%n",
        model, s.perInstance() * bytes, s.fixed() * bytes, p.name().toLowerCase(java.util.Locale.ROOT),
        s.perInstanceUnshared() * bytes, s.fixedUnshared() * bytes, s.bytes(256, p));
    spec.commandLine().getOut().flush();
  }

  /** Writes a source through a temporary file, so that no half-written file is left behind. */
  private void write(JavaFile f) {
    Path dir = directory;
    if (!f.packageName().isEmpty()) {
      dir = dir.resolve(f.packageName().replace('.', '/'));
    }
    Outputs.createDirectories(dir);
    Outputs.write(dir.resolve(f.typeSpec().name() + ".java"), f.toString().getBytes(StandardCharsets.UTF_8));
  }
}
