package dev.nabla.compiler.codegen;

import com.palantir.javapoet.JavaFile;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources in memory with {@code javax.tools} and loads the classes, so that
 * {@code nabla check}, {@code eval} and {@code train} need no build step. The runtime the
 * generated code depends on is found where this JVM loaded it from.
 */
public final class InMemoryJavac {
  private InMemoryJavac() {}

  /** Generated code that javac rejected: a compiler bug, never a user's mistake. */
  public static final class CompilationFailed extends RuntimeException {
    public CompilationFailed(String message) {
      super(message);
    }
  }

  /** Compiles {@code files} with {@code options} (e.g. -Xlint:all -Werror) and returns a loader for them. */
  public static ClassLoader compile(List<JavaFile> files, List<String> options) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler in this JVM: run nabla with a JDK, not a JRE");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    JavaFileManager manager =
        new ForwardingJavaFileManager<>(standard) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(uri(className.replace('.', '/') + kind.extension), kind) {
              @Override
              public OutputStream openOutputStream() {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                classes.put(className, bytes);
                return bytes;
              }
            };
          }
        };
    List<JavaFileObject> sources = new ArrayList<>();
    for (JavaFile f : files) {
      sources.add(f.toJavaFileObject());
    }
    List<String> all = new ArrayList<>(options);
    all.add("-classpath");
    all.add(runtimeClassPath());
    all.add("-proc:none");
    Boolean ok = javac.getTask(null, manager, diagnostics, all, null, sources).call();
    if (!ok) {
      StringBuilder message = new StringBuilder("internal error: the generated code does not compile (please report):");
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        message.append('\n').append(d.getSource() == null ? "" : d.getSource().getName())
            .append(':').append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT));
      }
      throw new CompilationFailed(message.toString());
    }
    Map<String, byte[]> bytes = new HashMap<>();
    classes.forEach((name, out) -> bytes.put(name, out.toByteArray()));
    return new Loader(bytes);
  }

  /**
   * The class files compiled with {@code c} (binary name to bytes), when {@code c} was loaded from
   * {@link #compile}; otherwise empty. {@code nabla train --spark} ships them to the executors, as
   * a model compiled in memory exists nowhere else.
   */
  public static Map<String, byte[]> classFiles(Class<?> c) {
    return c.getClassLoader() instanceof Loader l ? Map.copyOf(l.bytes) : Map.of();
  }

  /** Defines the compiled classes on demand. */
  private static final class Loader extends ClassLoader {
    private final Map<String, byte[]> bytes;

    Loader(Map<String, byte[]> bytes) {
      super(InMemoryJavac.class.getClassLoader());
      this.bytes = bytes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = bytes.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }
  }

  private static URI uri(String path) {
    return URI.create("mem:///" + path);
  }

  /** The runtime's location (a jar or a classes directory) plus this JVM's class path. */
  static String runtimeClassPath() {
    List<String> entries = new ArrayList<>();
    try {
      var location = dev.nabla.runtime.Model.class.getProtectionDomain().getCodeSource().getLocation();
      entries.add(new File(location.toURI()).getPath());
    } catch (URISyntaxException | NullPointerException | SecurityException e) {
      // fall back to the class path alone
    }
    entries.add(System.getProperty("java.class.path", ""));
    return String.join(File.pathSeparator, entries);
  }
}
