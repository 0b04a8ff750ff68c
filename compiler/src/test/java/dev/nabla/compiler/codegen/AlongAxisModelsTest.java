package dev.nabla.compiler.codegen;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * {@link GeneratedModelTest}'s checks (finite differences of the generated double code, the
 * reference evaluator, float against double, the batch mean) on softmax, log_softmax and
 * argmax_mask along every axis, and their stable forms with an axis.
 */
class AlongAxisModelsTest extends GeneratedModelTest {
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("softmax along each axis of a matrix", """
            model S {
              input X[3, 4]; target D[3, 4];
              param W[3, 4] = uniform(-1, 1);
              output Z = X * W;
              loss L = sum(softmax(Z, axis=0) * D) + sum(softmax(Z, axis=1) * D) + sum(softmax(Z) * D * D)
                + sum(softmax(Z, axis=-2) * D * X);
            }"""),
        Arguments.of("log_softmax along each axis of a matrix", """
            model S {
              input X[3, 4]; target D[3, 4];
              param W[3, 4] = uniform(-1, 1);
              output Z = X * W;
              loss L = sum(log_softmax(Z, axis=0) * D) + sum(log_softmax(Z, axis=-1) * D * D);
            }"""),
        Arguments.of("stable forms along an axis", """
            model S {
              input X[3, 4]; target D[3, 4];
              param W[3, 4] = uniform(-1, 1);
              Z = X * W;
              output Y = softmax(Z, axis=0);
              loss L = cross_entropy(Y, softmax(D, axis=0)) + sum(log(softmax(Z, axis=1)) * D);
            }"""),
        Arguments.of("argmax_mask along each axis", """
            model S {
              input X[3, 4]; target D[3, 4];
              param W[3, 4] = uniform(-1, 1);
              Z = X * W;
              output M0 = argmax_mask(Z, axis=0);
              output M1 = argmax_mask(Z);
              loss L = sum((M0 + 2 * M1) * Z * D);
            }"""),
        Arguments.of("softmax family along each axis of a rank-3 value", """
            model S {
              input X[2, 3, 4]; target D[2, 3, 4];
              param W[3, 4] = uniform(-1, 1);
              output Z = X * W;
              output M = argmax_mask(Z, axis=1);
              loss L = sum(softmax(Z, axis=0) * D) + sum(softmax(Z, axis=1) * D) + sum(softmax(Z) * D * D)
                + sum(log_softmax(Z, axis=-2) * D * X) + sum(log_softmax(Z) * D) + sum(M * Z)
                + cross_entropy(softmax(Z, axis=1), softmax(D, axis=1));
            }"""));
  }
}
