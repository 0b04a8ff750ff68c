package dev.nabla.compiler.codegen;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NablaDataException;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/** Generates a model's classes, compiles them in memory and returns a fresh instance. */
public final class ModelLoader {
  /** The package in-memory models are generated into. */
  public static final String PACKAGE = "nabla.generated";

  private ModelLoader() {}

  public static Model load(Derivation derivation, Precision precision) {
    return load(derivation, precision, false);
  }

  /** With {@code profile}, the passes time their phases ({@code ModelRun.phaseTimes()}). */
  public static Model load(Derivation derivation, Precision precision, boolean profile) {
    return load(derivation, new CodeGenerator.Options(PACKAGE, precision, profile, true));
  }

  /** Generated with {@code options} (its package is ignored: in-memory models go to {@link #PACKAGE}). */
  public static Model load(Derivation derivation, CodeGenerator.Options options) {
    List<JavaFile> files = CodeGenerator.generate(derivation,
        new CodeGenerator.Options(PACKAGE, options.precision(), options.profile(), options.fuseProducts()));
    ClassLoader loader = InMemoryJavac.compile(files, List.of("-Xlint:all", "-Werror"));
    String className = files.getFirst().packageName() + "." + files.getFirst().typeSpec().name();
    try {
      return (Model) loader.loadClass(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      if (cause instanceof NablaDataException tooLarge) {
        throw tooLarge; // params that do not fit in the heap: the user's model, not a bug
      }
      throw new IllegalStateException("internal error: cannot instantiate " + className + ": " + cause, cause);
    }
  }
}
