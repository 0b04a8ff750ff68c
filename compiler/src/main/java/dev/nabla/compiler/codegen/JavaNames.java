package dev.nabla.compiler.codegen;

import com.palantir.javapoet.ClassName;
import dev.nabla.compiler.names.JavaIdentifiers;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Gives every model value a valid Java identifier that collides with nothing: not a keyword,
 * not a member of the generated classes, not a {@code java.lang} or runtime type the generated
 * code names, and not another value. Names are kept as written where possible ({@code z1});
 * otherwise a {@code _} is appended ({@code class} becomes {@code class_}).
 */
final class JavaNames {
  /**
   * Simple names the generated code refers to or declares, which a field of that name would
   * shadow or clash with: the JDK and runtime types it names, the members of the generated
   * classes, and the locals of its templates ({@link Locals}).
   */
  private static final Set<String> RESERVED = reserved();

  private static Set<String> reserved() {
    Set<String> names = new HashSet<>(Set.of(
        "Math", "Float", "Double", "Integer", "Long", "String", "Object", "System", "Override",
        "SuppressWarnings", "Deprecated", "List", "Map", "Path", "IOException",
        "IllegalArgumentException", "IllegalStateException", "Arrays", "Collections",
        "Kernels", "Npz", "Generated", "Objects",
        // members of the generated classes
        "forward", "backward", "run", "loss", "name", "dtype", "params",
        "inputs", "targets", "outputs", "gradInputs", "hyperNames", "hyper", "setHyper",
        "param", "initialize", "newRun", "batchSize", "input", "output", "gradient", "seed",
        "k", "o", "off", "at", "value",
        "result", "spec", "data", "paramMap", "loadParams", "saveParams", "toString",
        "hashCode", "equals", "getClass", "clone", "finalize", "notify", "notifyAll", "wait",
        "n", "gradients", "views",
        // the loop methods that BatchLoops runs: rows(loop, from, to), loop0(from, to), ...
        "rows",
        // restricted identifiers: legal names, but 'yield = ...' or 'var' read as syntax
        "var", "yield", "record", "sealed", "permits", "when"));
    names.addAll(Locals.ALL);
    for (ClassName type : RuntimeTypes.ALL) {
      names.add(type.topLevelClassName().simpleName()); // a nested type is named through it
    }
    return Set.copyOf(names);
  }

  /** Whether a name is a class of java.lang or of the runtime (API or kernels), which a field would shadow. */
  private static boolean isTypeName(String name) {
    if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
      return false;
    }
    for (String pkg : new String[] {"java.lang.", RuntimeTypes.MODEL.packageName() + ".", RuntimeTypes.GEMM.packageName() + "."}) {
      try {
        Class.forName(pkg + name, false, JavaNames.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        // not a class of that package
      }
    }
    return false;
  }

  private final Set<String> taken = new HashSet<>();

  /** A fresh identifier for a model name. */
  String of(String wanted) {
    String base = JavaIdentifiers.sanitize(wanted);
    String name = base;
    for (int n = 2; !acceptable(name); n++) {
      name = base + "_" + n;
    }
    taken.add(name);
    return name;
  }

  private boolean acceptable(String name) {
    return !taken.contains(name) && !RESERVED.contains(name) && SourceVersion.isName(name)
        && !isTypeName(name);
  }
}
