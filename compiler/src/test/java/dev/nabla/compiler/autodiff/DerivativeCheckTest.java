package dev.nabla.compiler.autodiff;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every operator and built-in: the simplified symbolic gradient, evaluated by the reference
 * evaluator in double precision, matches central finite differences of the batch-mean loss at
 * random points (error <= 1e-6, relative above magnitude 1 and absolute below).
 */
class DerivativeCheckTest extends DerivativeChecks {
  private static final String DECLARATIONS =
      """
      input r[3]; input q[2]; input R[2, 3]; input Q[2, 2];
      param a[3]; param b[3]; param c[6]; param s;
      param M[2, 3] = normal(0, 1); param N[3, 2] = normal(0, 1);
      """;

  /** name, loss expression, and the interval params and inputs are drawn from. */
  static Stream<Arguments> cases() {
    double lo = -1;
    double hi = 1;
    double plo = 0.5;
    double phi = 2;
    return Stream.of(
        // ---- operators
        Arguments.of("add", "sum((a + b) * r)", lo, hi),
        Arguments.of("sub", "sum((a - b) * r)", lo, hi),
        Arguments.of("mul", "sum(a * b * r)", lo, hi),
        Arguments.of("div", "sum(a / b * r)", plo, phi),
        Arguments.of("neg", "sum(-a * r)", lo, hi),
        Arguments.of("scalar broadcast", "sum((a * s + s) * r)", lo, hi),
        Arguments.of("row broadcast", "sum((M + a) * R) + sum((a * M) * R)", lo, hi),
        Arguments.of("row broadcast divide", "sum(M / b * R)", plo, phi),
        Arguments.of("matmul [m,k]@[k]", "sum((M @ a) * q)", lo, hi),
        Arguments.of("matmul [m,k]@[k,n]", "sum((M @ N) * Q)", lo, hi),
        Arguments.of("matmul [k]@[k,n]", "sum((a @ N) * q)", lo, hi),
        Arguments.of("matmul [k]@[k]", "(a @ b) * s", lo, hi),
        Arguments.of("power literal", "sum(a ^ 3 * r)", lo, hi),
        Arguments.of("power negative", "sum(a ^ -2 * r)", plo, phi),
        Arguments.of("power fraction", "sum(a ^ 0.5 * r)", plo, phi),
        Arguments.of("transpose", "sum((M.T @ q) * r) + sum(N.T * R)", lo, hi),
        Arguments.of("index", "a[1] * s + a[2] ^ 2", lo, hi),
        Arguments.of("shared use y*y", "sum(a * a * r)", lo, hi),
        // ---- elementwise built-ins
        Arguments.of("exp", "sum(exp(a) * r)", lo, hi),
        Arguments.of("log", "sum(log(a) * r)", plo, phi),
        Arguments.of("sqrt", "sum(sqrt(a) * r)", plo, phi),
        Arguments.of("abs", "sum(abs(a) * r)", lo, hi),
        Arguments.of("sin", "sum(sin(a) * r)", lo, hi),
        Arguments.of("cos", "sum(cos(a) * r)", lo, hi),
        Arguments.of("square", "sum(square(a) * r)", lo, hi),
        Arguments.of("sigmoid", "sum(sigmoid(a) * r)", lo, hi),
        Arguments.of("tanh", "sum(tanh(a) * r)", lo, hi),
        Arguments.of("relu", "sum(relu(a) * r)", lo, hi),
        Arguments.of("softplus", "sum(softplus(a) * r)", lo, hi),
        Arguments.of("identity", "sum(identity(a) * r)", lo, hi),
        Arguments.of("log_sigmoid", "sum(log_sigmoid(a) * r)", lo, hi),
        Arguments.of("leaky_relu", "sum(leaky_relu(a, alpha=0.1) * r) + sum(leaky_relu(b) * r)", lo, hi),
        Arguments.of("elu", "sum(elu(a) * r) + sum(elu(b, 0.5) * r)", lo, hi),
        Arguments.of("max elementwise", "sum(max(a, b) * r) + sum(max(a, s) * r)", lo, hi),
        Arguments.of("min elementwise", "sum(min(a, b) * r)", lo, hi),
        Arguments.of("pow", "sum(pow(a, b) * r)", plo, phi),
        // ---- version 2's elementwise functions (PyTorch has each: torch.tan ... torch.erf,
        //      torch.log1p, torch.expm1, torch.clamp; asinh/acosh/atanh are torch.asinh, ...)
        Arguments.of("tan", "sum(tan(a) * r)", lo, hi),
        Arguments.of("sinh", "sum(sinh(a) * r)", lo, hi),
        Arguments.of("cosh", "sum(cosh(a) * r)", lo, hi),
        Arguments.of("asin", "sum(asin(a * 0.9) * r)", lo, hi),
        Arguments.of("acos", "sum(acos(a * 0.9) * r)", lo, hi),
        Arguments.of("atan", "sum(atan(a * 3) * r)", lo, hi),
        Arguments.of("asinh", "sum(asinh(a * 3) * r)", lo, hi),
        Arguments.of("acosh", "sum(acosh(a + 1) * r)", plo, phi),
        Arguments.of("atanh", "sum(atanh(a * 0.9) * r)", lo, hi),
        Arguments.of("erf", "sum(erf(a * 2) * r)", lo, hi),
        Arguments.of("log1p", "sum(log1p(a * 0.9) * r)", lo, hi),
        Arguments.of("expm1", "sum(expm1(a) * r)", lo, hi),
        Arguments.of("clip constant bounds", "sum(clip(a, -0.3, 0.4) * r)", lo, hi),
        Arguments.of("clip computed bounds", "sum(clip(a, b - 0.5, s) * r) + sum(clip(M, a, 0.5) * R)", lo, hi),
        // ---- vector functions and reductions
        Arguments.of("softmax", "sum(softmax(a) * r)", lo, hi),
        Arguments.of("log_softmax", "sum(log_softmax(a) * r)", lo, hi),
        Arguments.of("log of softmax", "sum(log(softmax(a)) * r)", lo, hi),
        Arguments.of("log of sigmoid", "sum(log(sigmoid(a)) * r)", lo, hi),
        Arguments.of("log of 1 + exp", "sum(log(1 + exp(a)) * r) + sum(log(exp(b) + 1) * r)", lo, hi),
        Arguments.of("logsumexp", "logsumexp(a) * s + logsumexp(M) * s", lo, hi),
        Arguments.of("logsumexp axis 0", "sum(logsumexp(M, axis=0) * r)", lo, hi),
        Arguments.of("logsumexp axis 1", "sum(logsumexp(M, axis=1) * q)", lo, hi),
        Arguments.of("log of sum of exp", "log(sum(exp(a * r))) * s + sum(log(sum(exp(M), axis=1)) * q)", lo, hi),
        Arguments.of("sum", "sum(a) * s", lo, hi),
        Arguments.of("sum axis 0", "sum(sum(M, axis=0) * r)", lo, hi),
        Arguments.of("sum axis 1", "sum(sum(M, axis=1) * q)", lo, hi),
        Arguments.of("mean", "mean(M) * s", lo, hi),
        Arguments.of("max reduce", "max(a * r)", lo, hi),
        Arguments.of("min reduce", "min(a * r)", lo, hi),
        Arguments.of("dot", "dot(a, b) * s", lo, hi),
        Arguments.of("norm2", "norm2(M) * s", lo, hi),
        Arguments.of("outer", "sum(outer(a, q) * N)", lo, hi),
        Arguments.of("maxpool", "sum(maxpool(c, 2) * r)", lo, hi),
        Arguments.of("concat", "sum(concat(a, b) * c)", lo, hi),
        Arguments.of("slice", "sum(slice(c, 1, 4) * r)", lo, hi),
        Arguments.of("repeat", "sum(repeat(a, 2) * c)", lo, hi),
        Arguments.of("group_sum", "sum(group_sum(c, 2) * r)", lo, hi),
        Arguments.of("expand", "sum(expand(s, 3) * r) + sum(expand(a, 2, 3) * R)", lo, hi),
        Arguments.of("pad", "sum(pad(a, 1, 2) * c)", lo, hi),
        // ---- divergences
        Arguments.of("l2", "l2(a, r)", lo, hi),
        Arguments.of("bce of sigmoid (fused)", "bce(sigmoid(a), sigmoid(r))", lo, hi),
        Arguments.of("bce general", "bce(sigmoid(a) * 0.5 + 0.25, sigmoid(r))", lo, hi),
        Arguments.of("cross_entropy of softmax (fused)", "cross_entropy(softmax(a), softmax(r))", lo, hi),
        Arguments.of("cross_entropy general", "cross_entropy(exp(a), softmax(r))", lo, hi),
        Arguments.of("kl", "kl(softmax(a), softmax(b))", lo, hi),
        Arguments.of("hinge", "hinge(a, argmax_mask(r))", lo, hi),
        Arguments.of("smooth", "sum(smooth(argmax_mask(r), s) * a)", lo, hi),
        // ---- piecewise-constant helpers: their gradient is zero, and so is the numeric one
        Arguments.of("step", "sum(step(a) * b)", lo, hi),
        Arguments.of("sign", "sum(sign(a) * b)", lo, hi),
        Arguments.of("ge", "sum(ge(a, b) * r)", lo, hi),
        Arguments.of("argmax_mask", "sum(argmax_mask(a) * b)", lo, hi),
        Arguments.of("maxpool_mask", "sum(maxpool_mask(c, 3) * c)", lo, hi),
        Arguments.of("floor", "sum(floor(a * 3) * b)", lo, hi),
        Arguments.of("ceil", "sum(ceil(a * 3) * b)", lo, hi),
        Arguments.of("round", "sum(round(a * 3) * b)", lo, hi),
        // ---- version 2's comparisons (piecewise constant) and where (a select: the gradient
        //      goes to the picked branch, broadcasting all three operands; a NaN in the branch
        //      not picked, log of a negative, reaches neither the value nor the gradient)
        Arguments.of("comparisons", "sum(((a < b) + (a <= s) + (a > b) + (a >= b) + (a == a) + (a != b)) * r)", lo, hi),
        Arguments.of("comparisons broadcast", "sum((M < a) * R) + sum((s > M) * R)", lo, hi),
        Arguments.of("where", "sum(where(a - b, a * r, b ^ 2 * r)) + sum(where(a > b, a, b) * r)", lo, hi),
        Arguments.of("where broadcasting", "sum(where(r > 0, M, s) * R) + sum(where(R > 0, a, s * a) * R) + sum(where(M > N.T, a, M) * R)", lo, hi),
        Arguments.of("where guards a log", "sum(where(a > 0, log(a), a) * r)", lo, hi),
        // ---- defs are inlined
        Arguments.of("def", "sum(swish(a) * r)", lo, hi));
  }

  @Override
  String source(String loss) {
    return "def swish(z) = z * sigmoid(z);\nmodel T {\n" + DECLARATIONS + "loss L = " + loss + ";\noutput L;\n}\n";
  }
}
