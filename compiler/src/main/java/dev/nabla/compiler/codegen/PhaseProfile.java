package dev.nabla.compiler.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import dev.nabla.runtime.PhaseTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;

/**
 * The per-phase timers of one generated pass when a model is compiled for profiling
 * ({@code nabla bench --profile}): a {@link PhaseTimes} field, a {@code start()} at the top of
 * the pass and a {@code lap(k)} after each statement, labelled with what the statement does
 * ({@code forward 12:16 matmul [Gemm.abT]}). Off, it adds nothing at all, so the code that is
 * benchmarked normally is the code of every other command.
 */
final class PhaseProfile {
  static final ClassName PHASE_TIMES = ClassName.get(PhaseTimes.class);
  /** The runtime calls a statement makes, named in its label. */
  private static final Pattern CALLS = Pattern.compile("\\b(Gemm|Softmax|Activations)\\.(\\w+)\\(");
  /** A fused product's activation (forward) or derivative (backward). */
  private static final Pattern FUSED_ACT = Pattern.compile("\\bGemm\\.Act\\.(RELU|TANH|SIGMOID)\\b");

  private final String pass;
  private final String field;
  private final Plan plan;
  private final List<String> labels = new ArrayList<>();

  /** A profile for {@code pass}, or null when profiling is off. */
  static PhaseProfile of(boolean on, String pass, Plan plan, JavaNames names) {
    return on ? new PhaseProfile(pass, plan, names.of("phases")) : null;
  }

  private PhaseProfile(String pass, Plan plan, String field) {
    this.pass = pass;
    this.plan = plan;
    this.field = field;
  }

  String field() {
    return field;
  }

  CodeBlock start() {
    return CodeBlock.of("$N.start();\n", field);
  }

  /** {@code phases.lap(k);} after {@code code}, which computes {@code n} (null: not a value's code). */
  CodeBlock lap(Node n, String where, CodeBlock code) {
    StringBuilder label = new StringBuilder(pass);
    if (!where.isEmpty()) {
      label.append(' ').append(where);
    }
    if (n != null) {
      label.append(' ').append(expression(n)).append(' ').append(n.shape());
      if (n.batched()) {
        label.append(" per instance");
      }
    }
    List<String> calls = new ArrayList<>();
    Matcher m = CALLS.matcher(code.toString());
    while (m.find()) {
      calls.add(m.group(1) + "." + m.group(2));
    }
    Matcher act = FUSED_ACT.matcher(code.toString());
    if (act.find()) {
      calls.add("fused " + act.group(1).toLowerCase(java.util.Locale.ROOT));
    }
    if (code.toString().contains("BatchLoops.run(")) {
      calls.add("batch loop");
    }
    if (!calls.isEmpty()) {
      label.append(" [").append(String.join(", ", calls)).append(']');
    }
    labels.add(label.toString());
    return CodeBlock.of("$N.lap($L);\n", field, labels.size() - 1);
  }

  /** The op and the ops computed inline in its loop or absorbed by its kernel: {@code relu(add)}. */
  private String expression(Node n) {
    List<String> inline = new ArrayList<>();
    for (Node in : n.inputs()) {
      if (plan.storage(in) == Storage.INLINE || plan.storage(in) == Storage.ABSORBED) {
        inline.add(expression(in));
      }
    }
    return n.op() + (inline.isEmpty() ? "" : "(" + String.join(", ", inline) + ")");
  }

  /** The timers' field, labelled with every phase lapped so far. */
  void addTo(TypeSpec.Builder t) {
    CodeBlock names = CodeBlock.join(labels.stream().map(l -> CodeBlock.of("$S", l)).toList(), ", ");
    t.addField(FieldSpec.builder(PHASE_TIMES, field, Modifier.FINAL)
        .addJavadoc("Time per phase of this pass ({@code nabla bench --profile}).\n")
        .initializer("new $T($S$L$L)", PHASE_TIMES, pass, labels.isEmpty() ? "" : ", ", names)
        .build());
  }
}
