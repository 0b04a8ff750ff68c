package dev.nabla.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Generates the classes of a Nabla model during {@code javac}, with the Nabla compiler on the
 * annotation processor path. The model is given either inline, as the annotation's value (a
 * text block), or as a {@code .nn} file:
 *
 * <pre>{@code
 * @NablaModel(file = "models/digits.nn")
 * package com.example.ml;
 *
 * @NablaModel("""
 *     model Xor { input x[2]; target d[1]; ... }
 *     """)
 * final class Models {}
 * }</pre>
 *
 * <p>For every model in the source, the classes {@code <Model>}, {@code <Model>Forward} and
 * {@code <Model>Backward} are generated in the package of the annotated element, exactly as
 * {@code nabla compile --package <that package>} writes them. A model error is a compile error on
 * the annotation. The annotation may be repeated, one model source per annotation.
 *
 * <p>How a relative {@link #file()} is found (option {@code -Anabla.modelDir}, the source root,
 * the Maven module directory, ...) and the processor's other options are described in the
 * project's {@code docs/annotation-processor.md}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Repeatable(NablaModels.class)
public @interface NablaModel {
  /** The model source inline; leave empty when {@link #file()} is given. */
  String value() default "";

  /** The path of a {@code .nn} file; leave empty when the model is given inline. */
  String file() default "";
}
