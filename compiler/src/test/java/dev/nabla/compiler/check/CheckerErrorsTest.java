package dev.nabla.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.Diagnostic;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.pipeline.Frontend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Semantic errors, as a table: a bad model and the exact header line of every error it gets
 * ({@code test.nn:line:col: error: message}), in source order. One row per rule; the message is
 * part of the contract (what is wrong, in the model's terms, and where helpful what to do), and
 * so is the column: an operator error points at the operator, a call error at the function name.
 * A row lists ALL errors of its file, so a cascade (a second, made-up error) fails the row too.
 */
class CheckerErrorsTest {

  private static Arguments bad(String name, String source, String... errors) {
    return Arguments.of(name, source, List.of(errors));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // ------------------------------------------------------------ calls
        bad(
            "unknown function, with a did-you-mean hint",
            """
            model M {
              input x[4];
              target d[4];
              output Y = rleu(x);
              loss L = l2(Y, d);
            }
            """,
            "test.nn:4:14: error: unknown function 'rleu'; did you mean 'relu'?"),
        bad(
            "unknown function, nothing close",
            """
            model M {
              input x[4];
              target d[4];
              output Y = frobnicate(x);
              loss L = l2(Y, d);
            }
            """,
            "test.nn:4:14: error: unknown function 'frobnicate'"),
        bad(
            "unknown function: defs are candidates for the hint too",
            """
            def dense(W, b, v) = W @ v + b;
            model M {
              input x[4];
              target d[3];
              param W[3, 4];
              param b[3];
              output Y = dens(W, b, x);
              loss L = l2(Y, d);
            }
            """,
            "test.nn:7:14: error: unknown function 'dens'; did you mean 'dense'?"),
        bad(
            "built-in given too many arguments",
            """
            model M {
              input x[4];
              target d[4];
              output Y = relu(x, d);
              loss L = l2(Y, d);
            }
            """,
            "test.nn:4:14: error: 'relu' takes 1 argument, but 2 were given"),
        bad(
            "built-in given too few arguments",
            """
            model M {
              input x[4];
              target d[4];
              output Y = relu(x);
              loss L = l2(Y);
            }
            """,
            "test.nn:5:12: error: 'l2' takes 2 arguments, but 1 was given"),
        bad(
            "built-in with an optional argument given too many",
            """
            model M {
              input x[4];
              output Y = leaky_relu(x, 0.1, 0.2);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: 'leaky_relu' takes 1 to 2 arguments, but 3 were given"),
        bad(
            "def given the wrong number of arguments",
            """
            def dense(W, b, v) = W @ v + b;
            model M {
              input x[4];
              target d[3];
              param W[3, 4];
              param b[3];
              output Y = dense(W, x);
              loss L = l2(Y, d);
            }
            """,
            "test.nn:7:14: error: 'dense' takes 3 arguments, but 2 were given"),
        bad(
            "unknown named argument",
            """
            model M {
              input x[4];
              output Y = leaky_relu(x, slope=0.1);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:28: error: 'leaky_relu' has no parameter named 'slope'"),
        bad(
            "named argument of a built-in that has none",
            """
            model M {
              input x[4];
              output Y = relu(x, alpha=0.1);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:22: error: 'relu' has no parameter named 'alpha'"),
        bad(
            "named argument given twice",
            """
            model M {
              input x[4];
              output Y = leaky_relu(x, alpha=0.1, alpha=0.2);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:39: error: 'alpha' is given twice in this call of 'leaky_relu'"),
        bad(
            "argument given by position and by name",
            """
            model M {
              input x[4];
              output Y = leaky_relu(x, 0.1, alpha=0.2);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:33: error: 'alpha' is given twice in this call of 'leaky_relu': as"
                + " argument 2 and by name"),
        bad(
            "required argument left out, others named",
            """
            model M {
              param A[3, 4];
              output Y = sum(axis=0);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: 'sum' is missing its argument 'a'"),
        bad(
            "def called with named arguments",
            """
            def swish(z) = z * sigmoid(z);
            model M {
              input x[4];
              output Y = swish(z=x);
              loss L = sum(Y);
            }
            """,
            "test.nn:4:20: error: 'swish' is a def and takes no named arguments; pass its"
                + " arguments in order, as in swish(z)"),
        bad(
            "leaky_relu alpha that is not a number literal",
            """
            model M {
              input x[4];
              hyper a = 0.1;
              output Y = leaky_relu(x, alpha=a);
              loss L = sum(Y);
            }
            """,
            "test.nn:4:34: error: 'leaky_relu' needs a number written in the model for alpha"
                + " (like 2 or 0.1), not a"),
        bad(
            "maxpool k that is not a whole number",
            """
            model M {
              input x[4];
              output Y = maxpool(x, 1.5);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:25: error: 'maxpool' needs a whole number for k, not 1.5"),
        bad(
            "maxpool k of 0",
            """
            model M {
              input x[4];
              output Y = maxpool(x, 0);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:25: error: 'maxpool' needs k >= 1, not 0"),
        bad(
            "power that is not a number literal",
            """
            model M {
              input x[4];
              hyper p = 2;
              output Y = x ^ p;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: '^' needs a number written in the model as its power (like x^2"
                + " or x^-0.5), not p; use pow(a, b) for a computed power"),

        // ------------------------------------------------------------ shape rules
        bad(
            "elementwise operands of different lengths",
            """
            model M {
              input x[4];
              target d[3];
              output Y = x + d;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '+': x is [4] but d is [3] (cannot broadcast [4] with [3] at"
                + " axis 0)"),
        bad(
            "row broadcasting with a vector as long as the columns, not the rows",
            """
            model M {
              target d[3];
              param A[3, 4];
              output Y = A * d;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '*': A is [3, 4] but d is [3] (cannot broadcast [3, 4]"
                + " with [3] at axis 1; a vector is combined with each row of a matrix, so it needs length 4)"),
        bad(
            "elementwise mismatch of two matrices names the subexpressions",
            """
            model M {
              input x[4];
              param A[3, 4];
              param B[4, 3];
              output Y = A - B.T.T;
              loss L = sum(Y);
            }
            """,
            "test.nn:5:16: error: shape mismatch in '-': A is [3, 4] but B.T.T is [4, 3] (cannot broadcast"
                + " [3, 4] with [4, 3] at axis 0)"),
        bad(
            "@ matrix by vector",
            """
            model M {
              input x[4];
              param W[3, 5];
              output Y = W @ x;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '@': W is [3, 5] but x is [4]"),
        bad(
            "@ matrix by matrix",
            """
            model M {
              param A[3, 5];
              param B[4, 2];
              output Y = A @ B;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '@': A is [3, 5] but B is [4, 2]"),
        bad(
            "@ vector by matrix",
            """
            model M {
              input x[4];
              param B[5, 3];
              output Y = x @ B;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '@': x is [4] but B is [5, 3]"),
        bad(
            "@ vector by vector",
            """
            model M {
              input x[4];
              target d[3];
              output Y = x @ d;
              loss L = Y;
            }
            """,
            "test.nn:4:16: error: shape mismatch in '@': x is [4] but d is [3]"),
        bad(
            "@ with a scalar",
            """
            model M {
              input x[4];
              input t;
              output Y = t @ x;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: '@' needs vectors or matrices, but t is a scalar; use '*' to"
                + " scale"),
        bad(
            "@ after a transpose names the transposed operand",
            """
            model M {
              input x[4];
              param W[3, 4];
              output Y = W.T @ x;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:18: error: shape mismatch in '@': W.T is [4, 3] but x is [4]"),
        bad(
            "indexing a scalar",
            """
            model M {
              param A;
              output Y = A[1];
              loss L = sum(Y);
            }
            """,
            "test.nn:3:15: error: cannot index A: it is a scalar"),
        bad(
            "index out of range",
            """
            model M {
              input x[4];
              param W[3, 4];
              output Y = (W @ x)[3];
              loss L = Y;
            }
            """,
            "test.nn:4:22: error: index 3 is out of range for W @ x, which is [3] (valid: -3 to"
                + " 2)"),
        bad(
            "softmax of a scalar",
            """
            model M {
              param s;
              output Y = softmax(s);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: 'softmax' needs a vector or a tensor, but s is a scalar"),
        bad(
            "softmax along an axis the value does not have",
            """
            model M {
              param A[3, 4];
              output Y = log_softmax(A, axis=2);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:34: error: 'log_softmax' has no axis 2 for A, which is [3, 4] (its axes are 0 to 1, or -2 to"
                + " -1 from the end)"),
        bad(
            "@ of stacks whose matrices do not meet",
            """
            model M {
              param A[2, 3, 4];
              param B[2, 5, 6];
              output Y = A @ B;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '@': A is [2, 3, 4] and B is [2, 5, 6], but 4 columns do not"
                + " meet 5 rows (stacks of matrices multiply their last two axes)"),
        bad(
            "@ of stacks that do not broadcast",
            """
            model M {
              param A[2, 3, 4];
              param B[3, 4, 6];
              output Y = A @ B;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '@': A is [2, 3, 4] and B is [3, 4, 6], but their stacks [2] and"
                + " [3] do not broadcast (each dim equal, or 1)"),
        bad(
            "@ of a vector and a stack that do not meet",
            """
            model M {
              param v[3];
              param B[2, 4, 6];
              output Y = v @ B;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '@': v is [3] and B is [2, 4, 6], but 3 columns do not meet 4"
                + " rows (stacks of matrices multiply their last two axes)"),
        bad(
            "dot of vectors of different lengths",
            """
            model M {
              input x[4];
              target d[3];
              output Y = dot(x, d);
              loss L = Y;
            }
            """,
            "test.nn:4:14: error: 'dot' needs two vectors of one length, but x is [4] and d is"
                + " [3]"),
        bad(
            "outer of a matrix",
            """
            model M {
              input x[4];
              param A[3, 4];
              output Y = outer(A, x);
              loss L = sum(Y);
            }
            """,
            "test.nn:4:14: error: 'outer' needs two vectors, but A is [3, 4] and x is [4]"),
        bad(
            "maxpool of a length not divisible by k",
            """
            model M {
              input x[10];
              output Y = maxpool(x, 3);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: 'maxpool' needs a length divisible by k, but x is [10] and k"
                + " is 3"),
        bad(
            "slice out of range",
            """
            model M {
              input x[10];
              output Y = slice(x, 2, 11);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: 'slice' bounds 2..11 do not fit x, which is [10] (need 0 <="
                + " from < to <= 10)"),
        bad(
            "sum along axis 2",
            """
            model M {
              param A[3, 4];
              output Y = sum(A, axis=2);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:26: error: 'sum' has no axis 2 for A, which is [3, 4] (its axes are 0 to 1, or -2 to -1"
                + " from the end)"),
        bad(
            "sum along an axis of a scalar",
            """
            model M {
              input t;
              output Y = sum(t, axis=0);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:26: error: 'sum' has no axis 0 for t, which is [] (a scalar has no axes)"),
        bad(
            "logsumexp along a negative axis beyond the rank",
            """
            model M {
              input X[2, 3, 4];
              output Y = logsumexp(X, axis=-4);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:32: error: 'logsumexp' has no axis -4 for X, which is [2, 3, 4] (its axes are 0 to 2,"
                + " or -3 to -1 from the end)"),
        bad(
            "max of two values with an axis",
            """
            model M {
              input X[2, 3];
              output Y = max(X, 0, axis=1);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:29: error: 'max' of two values is elementwise and takes no axis"),
        bad(
            "mean and min along axes beyond the rank",
            """
            model M {
              input X[2, 3];
              output Y = mean(X, axis=2) + min(X, axis=-3);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:27: error: 'mean' has no axis 2 for X, which is [2, 3] (its axes are 0 to 1, or -2 to -1"
                + " from the end)",
            "test.nn:3:44: error: 'min' has no axis -3 for X, which is [2, 3] (its axes are 0 to 1, or -2 to -1"
                + " from the end)"),
        bad(
            "expand along an axis of a value of the wrong shape",
            """
            model M {
              input X[2, 3];
              output Y = expand(X, 2, 3, 4, axis=1);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: 'expand' along axis 1 to [2, 3, 4] needs a value of shape [2, 4], but X is"
                + " [2, 3]"),
        bad(
            "NumPy broadcasting to more elements than a value may hold",
            """
            model M {
              input a[16384, 1];
              input b[32768];
              output y = a * b;
              loss L = sum(y);
            }
            """,
            "test.nn:4:16: error: this value would have 536870912 elements per instance; the limit is 268435456"
                + " (2^28) per value"),
        bad(
            "NumPy broadcasting: a leading dim that is neither equal nor 1",
            """
            model M {
              input X[8, 3];
              input Z[4, 3];
              output Y = X * Z;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '*': X is [8, 3] but Z is [4, 3] (cannot broadcast"
                + " [8, 3] with [4, 3] at axis 0)"),
        bad(
            "NumPy broadcasting at rank 3: the axis is numbered in the result",
            """
            model M {
              input X[2, 3, 4];
              input Z[5, 4];
              output Y = X + Z;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:16: error: shape mismatch in '+': X is [2, 3, 4] but Z is [5, 4] (cannot broadcast"
                + " [2, 3, 4] with [5, 4] at axis 1)"),
        bad(
            "l2 of different shapes",
            """
            model M {
              input x[4];
              target d[3];
              output Y = relu(x);
              loss L = l2(Y, d);
            }
            """,
            "test.nn:5:12: error: 'l2' needs y and d of one shape, but Y is [4] and d is [3]"),
        bad(
            "bce of different shapes",
            """
            model M {
              input x[4];
              target d[3];
              output Y = sigmoid(x);
              loss L = bce(Y, d);
            }
            """,
            "test.nn:5:12: error: 'bce' needs y and d of one shape, but Y is [4] and d is [3]"),
        bad(
            "cross_entropy of different shapes",
            """
            model M {
              input x[4];
              target d[3];
              output Y = softmax(x);
              loss L = cross_entropy(Y, d);
            }
            """,
            "test.nn:5:12: error: 'cross_entropy' needs y and d of one shape, but Y is [4] and d"
                + " is [3]"),
        bad(
            "kl of different shapes",
            """
            model M {
              input x[4];
              target d[3];
              output Y = softmax(x);
              loss L = kl(d, Y);
            }
            """,
            "test.nn:5:12: error: 'kl' needs d and y of one shape, but d is [3] and Y is [4]"),
        bad(
            "hinge of different shapes",
            """
            model M {
              input x[4];
              target d[3];
              output Y = x;
              loss L = hinge(Y, d);
            }
            """,
            "test.nn:5:12: error: 'hinge' needs s and d of one shape, but Y is [4] and d is [3]"),
        bad(
            "smooth with a vector eps",
            """
            model M {
              input x[4];
              target d[4];
              output Y = softmax(x);
              loss L = cross_entropy(Y, smooth(d, x));
            }
            """,
            "test.nn:5:29: error: 'smooth' needs a scalar eps, but x is [4]"),
        bad(
            "concat of a vector and a matrix",
            """
            model M {
              input x[4];
              param A[3, 4];
              output Y = concat(x, A);
              loss L = sum(Y);
            }
            """,
            "test.nn:4:14: error: 'concat' needs values of one rank, but x is [4] and A is [3, 4]"),
        bad(
            "expand to a shape the value cannot spread to",
            """
            model M {
              input x[4];
              output Y = expand(x, 4, 3);
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: 'expand' cannot spread x, which is [4], to [4, 3] (NumPy's"
                + " broadcasting: dims aligned at the last axis must be equal or 1 in x)"),
        bad(
            "max of two values that do not broadcast",
            """
            model M {
              input x[4];
              target d[3];
              output Y = max(x, d);
              loss L = sum(Y);
            }
            """,
            "test.nn:4:14: error: shape mismatch in 'max': x is [4] but d is [3] (cannot broadcast [4] with [3]"
                + " at axis 0)"),

        // ------------------------------------------------------------ values and their order
        bad(
            "two values on a cycle",
            """
            model M {
              input x[4];
              a = b + x;
              b = a * 2;
              output Y = a;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:3: error: cycle between values: a -> b -> a (a value cannot depend on"
                + " itself)"),
        bad(
            "three values on a cycle",
            """
            model M {
              input x[4];
              a = b + x;
              b = c * 2;
              c = relu(a);
              output Y = c;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:3: error: cycle between values: a -> b -> c -> a (a value cannot depend"
                + " on itself)"),
        bad(
            "a cycle through the output and the loss",
            """
            model M {
              input x[4];
              output Y = x * L;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:10: error: cycle between values: Y -> L -> Y (a value cannot depend on"
                + " itself)"),
        bad(
            "a value that depends on itself",
            """
            model M {
              input x[4];
              h = h + x;
              output Y = h;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:3: error: 'h' is used in its own definition (a value cannot depend on"
                + " itself)"),
        bad(
            "undefined name, with a did-you-mean hint",
            """
            model M {
              input x[4];
              hidden = relu(x);
              output Y = hiden * 2;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:14: error: undefined name 'hiden'; did you mean 'hidden'?"),
        bad(
            "undefined name, nothing close",
            """
            model M {
              input x[4];
              output Y = zzz * 2;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: undefined name 'zzz'"),
        bad(
            "a def used as a value",
            """
            def swish(z) = z * sigmoid(z);
            model M {
              input x[4];
              output Y = swish + x;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:14: error: 'swish' is a def; call it, as in swish(...)"),
        bad(
            "a built-in used as a value",
            """
            model M {
              input x[4];
              output Y = relu * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:14: error: 'relu' is a built-in function; call it, as in relu(...)"),

        // ------------------------------------------------------------ loss and outputs
        bad(
            "no loss",
            """
            model M {
              input x[4];
              output Y = relu(x);
            }
            """,
            "test.nn:1:7: error: model 'M' has no loss; add one, such as 'loss L = l2(y, d);'"),
        bad(
            "two losses",
            """
            model M {
              input x[4];
              output Y = relu(x);
              loss L = sum(Y);
              loss K = mean(Y);
            }
            """,
            "test.nn:5:8: error: model 'M' has a second loss 'K'; the first is 'L' (a model has"
                + " exactly one loss)"),
        bad(
            "a loss that is not a scalar",
            """
            model M {
              input x[4];
              target d[4];
              output Y = relu(x);
              loss L = Y - d;
            }
            """,
            "test.nn:5:8: error: the loss must be a scalar per instance, but L is [4]; reduce it,"
                + " for example with sum(...)"),
        bad(
            "no output",
            """
            model M {
              input x[4];
              target d[4];
              y = relu(x);
              loss L = l2(y, d);
            }
            """,
            "test.nn:1:7: error: model 'M' has no output; mark a value with 'output', such as"
                + " 'output Y = ...;' or 'output Y;'"),
        bad(
            "output naming an undefined value, with a hint (and no 'no output' on top)",
            """
            model M {
              input x[4];
              target d[4];
              y1 = relu(x);
              output y2;
              loss L = l2(y1, d);
            }
            """,
            "test.nn:5:10: error: output 'y2' is not defined in this model; did you mean 'y1'?"),
        bad(
            "output naming an undefined value, nothing close",
            """
            model M {
              input x[4];
              target d[4];
              y = relu(x);
              output Z;
              loss L = l2(y, d);
            }
            """,
            "test.nn:5:10: error: output 'Z' is not defined in this model; define it here, as in"
                + " 'output Z = ...;'"),
        bad(
            "the same output twice",
            """
            model M {
              input x[4];
              output Y = x;
              output Y;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:10: error: 'Y' is already an output"),

        // ------------------------------------------------------------ names defined twice
        bad(
            "two params of one name",
            """
            model M {
              input x[4];
              param W[4];
              param W[4];
              output Y = W * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:9: error: 'W' is already defined at line 3 (every name is defined once)"),
        bad(
            "a param and an assignment of one name",
            """
            model M {
              input x[4];
              param W[4];
              W = x * 2;
              output Y = W * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:3: error: 'W' is already defined at line 3 (every name is defined once)"),
        bad(
            "a value assigned twice",
            """
            model M {
              input x[4];
              h = x * 2;
              h = x * 3;
              output Y = h;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:3: error: 'h' is already defined at line 3 (every name is defined once)"),
        bad(
            "a value assigned twice: the second expression is still checked",
            """
            model M {
              input x[4];
              h = x * 2;
              h = hh * 3;
              output Y = h;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:3: error: 'h' is already defined at line 3 (every name is defined once)",
            "test.nn:4:7: error: undefined name 'hh'; did you mean 'h'?"),
        bad(
            "an output defined twice is one error, not also 'already an output'",
            """
            model M {
              input x[4];
              output Y = x;
              output Y = x * 2;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:10: error: 'Y' is already defined at line 3 (every name is defined once)"),
        bad(
            "two models of one name (the second is still checked)",
            """
            model M {
              input x[4];
              output Y = x;
              loss L = sum(Y);
            }
            model M {
              input x[4];
              output Y = xx;
              loss L = sum(Y);
            }
            """,
            "test.nn:6:7: error: model 'M' is already defined at line 1",
            "test.nn:8:14: error: undefined name 'xx'; did you mean 'x'?"),
        bad(
            "two defs of one name",
            """
            def f(z) = z * 2;
            def f(z) = z * 3;
            model M {
              input x[4];
              output Y = f(x);
              loss L = sum(Y);
            }
            """,
            "test.nn:2:5: error: def 'f' is already defined at line 1"),
        bad(
            "a def with a parameter twice",
            """
            def f(z, z) = z * 2;
            model M {
              input x[4];
              output Y = f(x, x);
              loss L = sum(Y);
            }
            """,
            "test.nn:1:10: error: parameter 'z' appears twice in def 'f'"),
        bad(
            "a def named like a built-in",
            """
            def relu(z) = max(z, 0);
            model M {
              input x[4];
              output Y = relu(x);
              loss L = sum(Y);
            }
            """,
            "test.nn:1:5: error: 'relu' is a built-in function; give this def another name"),
        bad(
            "a value named like a built-in (its use is not a second error)",
            """
            model M {
              input x[4];
              relu = x * 2;
              output Y = relu;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:3: error: 'relu' is a built-in function; give this value another name"),
        bad(
            "an input named like a built-in",
            """
            model M {
              input exp[4];
              output Y = exp * 2;
              loss L = sum(Y);
            }
            """,
            "test.nn:2:9: error: 'exp' is a built-in function; give this value another name"),
        bad(
            "a value named like a function that version 2 added (a v1 file must rename it)",
            """
            model M {
              input x[4];
              param erf[4];
              round = x * 2;
              output Y = round + erf;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:9: error: 'erf' is a built-in function in version 2 of the language; rename this value",
            "test.nn:4:3: error: 'round' is a built-in function in version 2 of the language; rename this value"),
        bad(
            "a def named like a function that version 2 added",
            """
            def clip(z, lo, hi) = min(max(z, lo), hi);
            model M {
              input x[4];
              output Y = clip(x, 0, 1);
              loss L = sum(Y);
            }
            """,
            "test.nn:1:5: error: 'clip' is a built-in function in version 2 of the language; rename this def"),
        bad(
            "clip with bounds that do not broadcast",
            """
            model M {
              input x[4];
              input lo[3];
              output Y = clip(x, lo, 1);
              loss L = sum(Y);
            }
            """,
            "test.nn:4:14: error: shape mismatch in 'clip': x is [4], lo is [3] and 1 is [] (cannot"
                + " broadcast [4] with [3] at axis 0)"),

        // ------------------------------------------------------------ defs
        bad(
            "a def that calls itself",
            """
            def f(z) = f(z) * 2;
            model M {
              input x[4];
              output Y = f(x);
              loss L = sum(Y);
            }
            """,
            "test.nn:1:12: error: def 'f' calls itself; defs are inlined, so they cannot be"
                + " recursive"),
        bad(
            "two defs that call each other",
            """
            def f(z) = g(z) * 2;
            def g(z) = f(z) + 1;
            model M {
              input x[4];
              output Y = f(x) + g(x);
              loss L = sum(Y);
            }
            """,
            "test.nn:2:12: error: def 'f' calls itself through f -> g -> f; defs are inlined, so"
                + " they cannot be recursive"),
        bad(
            "a def body naming a model value",
            """
            def f(z) = z * W;
            model M {
              input x[4];
              param W[4];
              output Y = f(x);
              loss L = sum(Y);
            }
            """,
            "test.nn:1:16: error: 'W' is not a parameter of def 'f'; a def sees only its"
                + " parameters, so pass W as an argument"),
        bad(
            "a def body with a misspelt parameter",
            """
            def f(zeta) = zeta * sigmoid(zet);
            model M {
              input x[4];
              output Y = f(x);
              loss L = sum(Y);
            }
            """,
            "test.nn:1:30: error: 'zet' is not a parameter of def 'f'; did you mean 'zeta'?"),
        bad(
            "an unknown function in a def no model calls",
            """
            def f(z) = z * sigmod(z);
            model M {
              input x[4];
              output Y = x;
              loss L = sum(Y);
            }
            """,
            "test.nn:1:16: error: unknown function 'sigmod'; did you mean 'sigmoid'?"),
        bad(
            "a shape error in a def body names the call site",
            """
            def dense(W, b, v) = W @ v + b;
            model M {
              input x[4];
              target d[3];
              param W[3, 5];
              param b[3];
              output Y = dense(W, b, x);
              loss L = l2(Y, d);
            }
            """,
            "test.nn:1:24: error: shape mismatch in '@': W is [3, 5] but v is [4] (in 'dense'"
                + " called at 7:14)"),
        bad(
            "a shape error two defs deep names both calls",
            """
            def add(a, b) = a + b;
            def twice(a, b) = add(a, b) * 2;
            model M {
              input x[4];
              target d[3];
              output Y = twice(x, d);
              loss L = sum(Y);
            }
            """,
            "test.nn:1:19: error: shape mismatch in '+': a is [4] but b is [3] (cannot broadcast [4] with [3] at axis 0) (in 'add' called"
                + " at 2:19, in 'twice' called at 6:14)"),

        // ------------------------------------------------------------ declarations
        bad(
            "unknown initializer, with a hint",
            """
            model M {
              input x[4];
              param W[4] = xaviar;
              output Y = W * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:16: error: unknown initializer 'xaviar'; did you mean 'xavier'?"),
        bad(
            "unknown initializer, nothing close",
            """
            model M {
              input x[4];
              param W[4] = glorot;
              output Y = W * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:16: error: unknown initializer 'glorot'; use zeros, ones, const(c),"
                + " uniform(lo, hi), normal(mean, std), xavier or he"),
        bad(
            "initializer with the wrong number of arguments",
            """
            model M {
              input x[4];
              param W[4] = uniform(1);
              param V[4] = he(2);
              output Y = W * V * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:16: error: 'uniform' takes 2 arguments, but 1 was given",
            "test.nn:4:16: error: 'he' takes no arguments, but 1 was given"),
        bad(
            "uniform with lo >= hi",
            """
            model M {
              input x[4];
              param W[4] = uniform(1, -1);
              output Y = W * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:16: error: uniform(lo, hi) needs lo < hi, but lo is 1 and hi is -1"),
        bad(
            "normal with a negative std",
            """
            model M {
              input x[4];
              param W[4] = normal(0, -0.1);
              output Y = W * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:26: error: normal(mean, std) needs std >= 0, but std is -0.1"),
        bad(
            "initializer argument that is not a number literal",
            """
            model M {
              input x[4];
              hyper s = 0.1;
              param W[4] = normal(0, s);
              output Y = W * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:26: error: 'normal' needs numbers written in the model, not s (initial"
                + " values are fixed when the model is compiled)"),
        bad(
            "initializer with named arguments",
            """
            model M {
              input x[4];
              param W[4] = uniform(lo=-1, hi=1);
              output Y = W * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:24: error: initializers take their arguments in order, without names, as"
                + " in uniform(-1, 1)"),
        bad(
            "hyper whose value is not a number (its uses are not more errors)",
            """
            model M {
              input x[4];
              hyper s = x;
              output Y = s * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:13: error: hyper 's' needs a number written in the model, like 'hyper s ="
                + " 1e-4;' (it is a constant, not computed from x)"),
        bad(
            "hyper computed from another hyper points at the other",
            """
            model M {
              input x[4];
              hyper a = 0.1;
              hyper s = 2 * a;
              output Y = s * x;
              loss L = sum(Y);
            }
            """,
            "test.nn:4:17: error: hyper 's' needs a number written in the model, like 'hyper s ="
                + " 1e-4;' (it is a constant, not computed from a)"),
        bad(
            "param of rank 7 (its uses are not more errors)",
            """
            model M {
              input x[4];
              param W[1, 1, 1, 1, 1, 1, 2];
              output Y = W @ x;
              loss L = sum(Y);
            }
            """,
            "test.nn:3:29: error: 'W' has 7 dimensions; values have at most 6"),
        bad(
            "dimension of 0",
            """
            model M {
              input x[0];
              output Y = x;
              loss L = sum(Y);
            }
            """,
            "test.nn:2:11: error: a dimension must be at least 1, not 0"),

        // ------------------------------------------------------------ files
        bad(
            "a file with no model",
            """
            def f(z) = z * 2;
            """,
            "test.nn:1:1: error: no model in this file; write one as 'model Name { ... }'"),
        bad(
            "several independent errors are all reported",
            """
            model M {
              input x[4];
              target d[3];
              param W[3, 5];
              param W[3, 5];
              hyper h = x;
              z = W @ x;
              u = undefinedthing + 1;
              output Y = softmax(z);
              loss L = cross_entropy(Y, d) + sum(relu(x, x));
              loss L2 = sum(Y);
            }
            """,
            "test.nn:5:9: error: 'W' is already defined at line 4 (every name is defined once)",
            "test.nn:6:13: error: hyper 'h' needs a number written in the model, like 'hyper h ="
                + " 1e-4;' (it is a constant, not computed from x)",
            "test.nn:7:9: error: shape mismatch in '@': W is [3, 5] but x is [4]",
            "test.nn:8:7: error: undefined name 'undefinedthing'",
            "test.nn:10:38: error: 'relu' takes 1 argument, but 2 were given",
            "test.nn:11:8: error: model 'M' has a second loss 'L2'; the first is 'L' (a model has"
                + " exactly one loss)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reportsExactlyTheseErrors(String name, String source, List<String> expected) {
    assertExactErrors(source, expected);
  }

  /** A file with errors gives exactly these error headers, in source order, and no model. */
  static void assertExactErrors(String source, List<String> expected) {
    Frontend.Result result = Frontend.run(new Source("test.nn", source));
    assertThat(result.ok()).as("the file has errors").isFalse();
    assertThat(result.models()).as("nothing is produced from a file with errors").isEmpty();
    assertThat(result.diagnostics().sorted())
        .extracting(DiagnosticRenderer::header)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void theTableHasAtLeastFortyBadModels() {
    assertThat(table().count()).isGreaterThanOrEqualTo(40);
  }

  // ------------------------------------------------------------ whole rendering, with the caret

  private static String render(String source) {
    return DiagnosticRenderer.renderAll(Frontend.run(new Source("test.nn", source)).diagnostics());
  }

  @Test
  void caretPointsAtTheOperatorOfAShapeMismatch() {
    String source =
        """
        model Digits {
          input  x[63];
          target d[10];
          param  W1[32, 64] = he;
          param  b1[32]     = zeros;
          z1 = W1 @ x + b1;
          output Y = softmax(z1);
          loss L = sum(Y);
        }
        """;
    assertThat(render(source))
        .isEqualTo(
            """
            test.nn:6:11: error: shape mismatch in '@': W1 is [32, 64] but x is [63]
                z1 = W1 @ x + b1;
                        ^
            """);
  }

  @Test
  void caretPointsAtTheFunctionNameOfACall() {
    String source =
        """
        model M {
          input x[4];
          target d[3];
          loss L = cross_entropy(softmax(x), d);
          output L;
        }
        """;
    assertThat(render(source))
        .isEqualTo(
            """
            test.nn:4:12: error: 'cross_entropy' needs y and d of one shape, but softmax(x) is [4] and d is [3]
                loss L = cross_entropy(softmax(x), d);
                         ^
            """);
  }

  @Test
  void caretPointsAtTheSecondOfTwoNamedArguments() {
    String source =
        """
        model M {
          input x[4];
          output Y = elu(x, alpha=1, alpha=2);
          loss L = sum(Y);
        }
        """;
    assertThat(render(source))
        .isEqualTo(
            """
            test.nn:3:30: error: 'alpha' is given twice in this call of 'elu'
                output Y = elu(x, alpha=1, alpha=2);
                                           ^
            """);
  }

  @Test
  void caretOfAnErrorInADefBodyIsInTheDefAndTheMessageNamesTheCall() {
    String source =
        """
        def dense(W, b, v) = W @ v + b;
        model M {
          input x[4];
          param W[3, 4];
          param b[4];
          output Y = dense(W, b, x);
          loss L = sum(Y);
        }
        """;
    assertThat(render(source))
        .isEqualTo(
            """
            test.nn:1:28: error: shape mismatch in '+': W @ v is [3] but b is [4] (cannot broadcast [3] with [4] at axis 0) (in 'dense' called at 6:14)
              def dense(W, b, v) = W @ v + b;
                                         ^
            """);
  }

  @Test
  void caretOfACycleIsUnderTheFirstValueOnIt() {
    String source =
        """
        model M {
          input x[4];
          a = b + x;
          b = a * 2;
          output Y = a;
          loss L = sum(Y);
        }
        """;
    List<Diagnostic> errors = Frontend.run(new Source("test.nn", source)).diagnostics().errors();
    assertThat(errors).hasSize(1);
    assertThat(DiagnosticRenderer.render(errors.getFirst()))
        .isEqualTo(
            """
            test.nn:3:3: error: cycle between values: a -> b -> a (a value cannot depend on itself)
                a = b + x;
                ^""");
  }
}
