package dev.nabla.compiler.names;

import java.util.List;
import javax.lang.model.SourceVersion;

/**
 * How model names become Java names: the rules the checker needs (to refuse names whose classes
 * would clash) and the code generator needs (to write them), kept below both.
 */
public final class JavaIdentifiers {
  private JavaIdentifiers() {}

  /**
   * A name made of Java identifier characters: ASCII letters, digits and {@code _} kept, anything
   * else replaced by {@code _}; keywords, {@code _} and names starting {@code __} get a {@code _}.
   */
  public static String sanitize(String wanted) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < wanted.length(); i++) {
      char c = wanted.charAt(i);
      boolean ok = i == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c);
      s.append(ok && c != '$' && c < 128 ? c : '_');
    }
    String name = s.isEmpty() ? "_v" : s.toString();
    if (name.equals("_") || SourceVersion.isKeyword(name) || name.startsWith("__")) {
      name = name + "_";
    }
    return name;
  }

  /** A Java class-name stem for a model name ({@code Digits}); keywords get a suffix. */
  public static String classStem(String modelName) {
    String name = sanitize(modelName);
    if (!Character.isUpperCase(name.charAt(0))) {
      name = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
    return SourceVersion.isName(name) ? name : name + "_";
  }

  /** The names of the classes generated for a model: {@code Digits}, {@code DigitsForward}, ... */
  public static List<String> classNames(String modelName) {
    String stem = classStem(modelName);
    return List.of(stem, stem + "Forward", stem + "Backward");
  }

  /**
   * The {@code java.lang} class a generated class of this simple name would hide, or null. Every
   * class of a package sees its siblings before {@code java.lang}, so a model class {@code String}
   * would turn every {@code String} of the model's sibling classes into itself.
   */
  public static String hiddenJavaLangClass(String simpleName) {
    try {
      Class<?> c = Class.forName("java.lang." + simpleName, false, ClassLoader.getPlatformClassLoader());
      return c.getName();
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
