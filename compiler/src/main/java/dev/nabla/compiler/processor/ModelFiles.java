package dev.nabla.compiler.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Finds the {@code .nn} file of {@code @NablaModel(file = ...)}. An absolute path is taken as it
 * is. A relative one is looked up, first hit wins, in:
 *
 * <ol>
 *   <li>each directory of the processor option {@code -Anabla.modelDir} (a list separated by the
 *       platform's path separator; relative directories are relative to javac's working
 *       directory);
 *   <li>the source root of the annotated element: the directory that holds the package
 *       directories of its {@code .java} file (found through javac's trees);
 *   <li>the Maven module directory, when that source root is {@code <module>/src/<set>/java};
 *   <li>the roots of javac's {@code -sourcepath}, through the Filer;
 *   <li>javac's working directory.
 * </ol>
 *
 * A file found nowhere is an error listing every place that was tried.
 */
final class ModelFiles {
  /** A file found: its bytes and the name to report it under (an absolute path when known). */
  record Found(String displayName, byte[] bytes) {}

  /** The result of a lookup: the file, or null and the places tried. */
  record Lookup(Found found, List<String> lookedIn, String readError) {}

  private final ProcessingEnvironment env;
  private final List<Path> modelDirs;

  ModelFiles(ProcessingEnvironment env, String modelDirOption) {
    this.env = env;
    List<Path> dirs = new ArrayList<>();
    if (modelDirOption != null) {
      for (String d : modelDirOption.split(File.pathSeparator)) {
        if (!d.isBlank()) {
          try {
            dirs.add(Path.of(d.strip()).toAbsolutePath().normalize());
          } catch (InvalidPathException e) {
            // Reported as a place looked in that does not exist.
            dirs.add(null);
          }
        }
      }
    }
    this.modelDirs = dirs;
  }

  Lookup find(String file, Element element) {
    Path relative;
    try {
      relative = Path.of(file);
    } catch (InvalidPathException e) {
      return new Lookup(null, List.of(file + " (not a valid path: " + e.getReason() + ")"), null);
    }
    List<String> lookedIn = new ArrayList<>();
    Set<Path> tried = new LinkedHashSet<>();
    if (relative.isAbsolute()) {
      return tryPath(relative.normalize(), "absolute path", tried, lookedIn);
    }
    for (Path dir : modelDirs) {
      if (dir != null) {
        Lookup l = tryPath(dir.resolve(relative).normalize(), "-Anabla.modelDir", tried, lookedIn);
        if (l.found() != null || l.readError() != null) {
          return l;
        }
      }
    }
    Path root = sourceRoot(element);
    if (root != null) {
      Lookup l = tryPath(root.resolve(relative).normalize(), "source root of the annotated element", tried, lookedIn);
      if (l.found() != null || l.readError() != null) {
        return l;
      }
      Path module = mavenModule(root);
      if (module != null) {
        l = tryPath(module.resolve(relative).normalize(), "Maven module directory", tried, lookedIn);
        if (l.found() != null || l.readError() != null) {
          return l;
        }
      }
    }
    Lookup viaSourcePath = trySourcePath(file, lookedIn);
    if (viaSourcePath != null) {
      return viaSourcePath;
    }
    return tryPath(Path.of("").toAbsolutePath().resolve(relative).normalize(), "current directory", tried, lookedIn);
  }

  private static Lookup tryPath(Path path, String why, Set<Path> tried, List<String> lookedIn) {
    if (tried.add(path)) {
      lookedIn.add(path + " (" + why + ")");
    }
    if (!Files.isRegularFile(path)) {
      return new Lookup(null, lookedIn, null);
    }
    try {
      return new Lookup(new Found(path.toString(), Files.readAllBytes(path)), lookedIn, null);
    } catch (IOException | SecurityException e) {
      return new Lookup(null, lookedIn, path + ": cannot read the file: " + e.getMessage());
    }
  }

  /** Through the Filer's source path; null when that finds nothing (javac without -sourcepath). */
  private Lookup trySourcePath(String file, List<String> lookedIn) {
    lookedIn.add(file + " on the source path (-sourcepath), if one is set");
    Filer filer = env.getFiler();
    FileObject object;
    try {
      object = filer.getResource(StandardLocation.SOURCE_PATH, "", file);
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      return null;
    }
    try (InputStream in = object.openInputStream()) {
      byte[] bytes = in.readAllBytes();
      URI uri = object.toUri();
      String name = "file".equals(uri.getScheme()) ? Path.of(uri).toString() : uri.toString();
      return new Lookup(new Found(name, bytes), lookedIn, null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The directory holding the package directories of the element's source file; the file's own
   * directory if its path does not end with the package; null if javac's trees are not available
   * (another compiler, or a wrapped processing environment) or the file is not on disk.
   */
  private Path sourceRoot(Element element) {
    try {
      Trees trees = Trees.instance(env);
      TreePath path = trees.getPath(element);
      if (path == null) {
        return null;
      }
      CompilationUnitTree unit = path.getCompilationUnit();
      URI uri = unit.getSourceFile().toUri();
      if (!"file".equals(uri.getScheme())) {
        return null;
      }
      Path dir = Path.of(uri).toAbsolutePath().normalize().getParent();
      PackageElement pkg = env.getElementUtils().getPackageOf(element);
      if (dir == null || pkg.isUnnamed()) {
        return dir;
      }
      Path pkgPath = Path.of("", pkg.getQualifiedName().toString().split("\\."));
      if (dir.endsWith(pkgPath)) {
        Path root = dir;
        for (int i = 0; i < pkgPath.getNameCount() && root != null; i++) {
          root = root.getParent();
        }
        return root == null ? dir : root;
      }
      return dir;
    } catch (IllegalArgumentException | LinkageError | UnsupportedOperationException e) {
      return null;
    }
  }

  /** {@code <module>} for a source root {@code <module>/src/<set>/java}, else null. */
  private static Path mavenModule(Path root) {
    Path set = root.getParent();
    Path src = set == null ? null : set.getParent();
    if (root.getFileName() != null
        && root.getFileName().toString().equals("java")
        && src != null
        && src.getFileName() != null
        && src.getFileName().toString().equals("src")) {
      return src.getParent();
    }
    return null;
  }
}
