package dev.nabla.runtime;

/**
 * Numerically stable scalar functions that generated code calls element by element.
 * None of them overflows or takes {@code log(0)} for a finite argument.
 */
public final class Activations {
    private Activations() {
    }

    /**
     * The logistic function {@code sigmoid(z) = 1 / (1 + exp(-z))}, evaluated as
     * {@code 1 / (1 + exp(-z))} for {@code z >= 0} and {@code exp(z) / (1 + exp(z))} for
     * {@code z < 0}, so {@code exp} never overflows.
     */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** {@link #sigmoid(double)} in float (computed in double, rounded once). */
    public static float sigmoid(float z) {
        return (float) sigmoid((double) z);
    }

    /**
     * {@code softplus(z) = log(1 + exp(z))}, evaluated as {@code max(z, 0) + log1p(exp(-|z|))}:
     * no overflow for large {@code z}, full precision for very negative {@code z}.
     */
    public static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** {@link #softplus(double)} in float (computed in double, rounded once). */
    public static float softplus(float z) {
        return (float) softplus((double) z);
    }

    /** {@code log(sigmoid(z)) = -softplus(-z)}, stable for any finite {@code z}. */
    public static double logSigmoid(double z) {
        return -softplus(-z);
    }

    /** {@link #logSigmoid(double)} in float. */
    public static float logSigmoid(float z) {
        return (float) logSigmoid((double) z);
    }
}
