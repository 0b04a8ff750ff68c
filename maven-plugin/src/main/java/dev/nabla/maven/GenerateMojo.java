package dev.nabla.maven;

import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.Diagnostic;
import dev.nabla.compiler.diag.Severity;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.pipeline.ModelSources;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Compiles the model files ({@code src/main/nabla/**}{@code /*.nn}) into Java sources under
 * {@code target/generated-sources/nabla} and adds that directory to the compile source roots, so
 * that {@code maven-compiler-plugin} compiles them with the rest of the code.
 *
 * <p>Only what is stale is generated again: a model file whose text, package, precision and
 * plugin version are those of the last build, and whose sources all exist, is left alone; the
 * sources of a model file that no longer exists are deleted. A source whose text did not change is
 * not rewritten, so javac sees no change.
 *
 * <p>Model errors fail the build, all of them at once, each as {@code file:line:col: error:
 * message} with the source line and a caret; a model file with an error generates nothing.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractModelsMojo {
  /** Where the sources are written; added as a compile source root. */
  @Parameter(property = "nabla.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/nabla")
  File outputDirectory;

  /** The element type of the generated code: {@code float} or {@code double}. */
  @Parameter(property = "nabla.precision", defaultValue = "float")
  String precision;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  PluginDescriptor plugin;

  /** Where the record of the last generation is kept. */
  @Parameter(defaultValue = "${project.build.directory}/nabla-maven-plugin", readonly = true)
  File stateDirectory;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping the Nabla models (nabla.skip)");
      return;
    }
    Precision p = precision(precision);
    Path out = outputDirectory.toPath().toAbsolutePath();
    Path stateFile = stateDirectory.toPath().resolve("generate-" + sha256(out.toString()).substring(0, 16) + ".properties");
    GenerationState state = GenerationState.load(stateFile);
    List<String> models = modelFiles();
    List<Diagnostic> problems = new ArrayList<>();
    int generated = 0;
    int removed = 0;
    try {
      // Sources of model files that are gone (or now excluded) go first, so that a file another
      // model now generates is seen as missing and written again.
      Set<String> present = new TreeSet<>(models);
      for (String gone : new ArrayList<>(state.entries().keySet())) {
        if (!present.contains(gone)) {
          delete(out, state.get(gone).outputs());
          state.remove(gone);
          removed++;
        }
      }
      Map<String, String> owners = new HashMap<>();
      for (String model : models) {
        Source source = read(model, problems);
        String pkg = source == null ? null : packageOf(model, source, problems);
        if (pkg == null) {
          forget(out, state, model, owners);
          continue;
        }
        String fingerprint = sha256(String.join("\n", pkg, p.name(), version(), source.text()));
        GenerationState.Entry old = state.get(model);
        if (old != null && old.fingerprint().equals(fingerprint) && allExist(out, old.outputs())) {
          if (!claim(owners, model, source, old.outputs(), problems)) {
            forget(out, state, model, owners);
          }
          continue;
        }
        ModelSources.Output result = BigStack.run(() -> ModelSources.generate(source, pkg, p, false));
        problems.addAll(result.diagnostics());
        List<String> outputs = new ArrayList<>();
        for (ModelSources.GeneratedModel m : result.models()) {
          for (ModelSources.GeneratedFile f : m.files()) {
            outputs.add(f.relativePath());
          }
        }
        if (result.hasErrors() || !claim(owners, model, source, outputs, problems)) {
          forget(out, state, model, owners);
          continue;
        }
        for (ModelSources.GeneratedModel m : result.models()) {
          for (ModelSources.GeneratedFile f : m.files()) {
            writeIfChanged(out.resolve(f.relativePath()), f.text());
          }
        }
        if (old != null) {
          List<String> dropped = new ArrayList<>(old.outputs());
          dropped.removeAll(outputs);
          delete(out, dropped);
        }
        state.put(model, new GenerationState.Entry(fingerprint, outputs));
        generated++;
      }
      state.save(stateFile);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the generated sources under " + out + ": " + e.getMessage(), e);
    }
    project.addCompileSourceRoot(out.toString());
    getLog().info(String.format("Nabla: %d model file%s in %s: %d generated, %d up to date%s", models.size(),
        models.size() == 1 ? "" : "s", sourceDirectory.toPath().toAbsolutePath().normalize(), generated, models.size() - generated,
        removed > 0 ? ", sources of " + removed + " removed model file" + (removed == 1 ? "" : "s") + " deleted" : ""));
    report(problems, "nothing was generated from a model file with an error");
  }

  /**
   * Records that {@code model} generates {@code outputs}; false, with an error on the model, when
   * another model file already generates one of them (two models of one name in one package).
   */
  private static boolean claim(Map<String, String> owners, String model, Source source, List<String> outputs,
      List<Diagnostic> problems) {
    for (String o : outputs) {
      String other = owners.get(o);
      if (other != null && !other.equals(model)) {
        problems.add(new Diagnostic(Severity.ERROR, source, Span.NONE, "this file generates "
            + o.substring(0, o.length() - ".java".length()).replace('/', '.') + ", which " + other
            + " generates too; rename one of the models or put them in different packages"));
        return false;
      }
    }
    outputs.forEach(o -> owners.put(o, model));
    return true;
  }

  /**
   * Deletes a failed model's sources (but not those another model file now generates) and its
   * record, so that the next build generates it again.
   */
  private static void forget(Path out, GenerationState state, String model, Map<String, String> owners)
      throws IOException {
    GenerationState.Entry old = state.get(model);
    if (old != null) {
      delete(out, old.outputs().stream().filter(o -> !owners.containsKey(o)).toList());
      state.remove(model);
    }
  }

  private static boolean allExist(Path out, List<String> outputs) {
    return outputs.stream().allMatch(o -> Files.isRegularFile(out.resolve(o)));
  }

  private static void delete(Path out, List<String> outputs) throws IOException {
    for (String o : outputs) {
      Files.deleteIfExists(out.resolve(o));
    }
  }

  /** Writes through a temporary file; leaves the file (and its time stamp) alone when the text is the same. */
  private static void writeIfChanged(Path file, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The plugin's version; for a snapshot also its jar's time stamp, so that a rebuilt plugin regenerates. */
  private String version() {
    String v = plugin.getVersion();
    Artifact a = plugin.getPluginArtifact();
    if (v.endsWith("-SNAPSHOT") && a != null && a.getFile() != null) {
      v += "@" + a.getFile().lastModified();
    }
    return v;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
