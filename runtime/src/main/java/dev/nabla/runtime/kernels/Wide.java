package dev.nabla.runtime.kernels;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code double} in a kernel's double source ({@code *F64.java}) that stays
 * {@code double} in the float twin the build generates from it ({@code *F32.java}): a float
 * row's sum, an optimizer's moments, a cast that widens before subtracting. Every other
 * {@code double} there becomes {@code float}. It has no effect on the compiled code.
 *
 * <pre>
 *   &#64;Wide double s = 0;                                   // the sum stays double
 *   double e = (double) Math.exp(x[j] - (&#64;Wide double) m);  // float e = (float) Math.exp(...)
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE_USE)
public @interface Wide {
}
