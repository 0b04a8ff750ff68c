package dev.nabla.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The container of a repeated {@link NablaModel}: Java writes it for you when an element carries
 * several {@code @NablaModel}s, so you never need to write it yourself.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.PACKAGE, ElementType.TYPE})
public @interface NablaModels {
  /** The repeated annotations, in source order. */
  NablaModel[] value();
}
