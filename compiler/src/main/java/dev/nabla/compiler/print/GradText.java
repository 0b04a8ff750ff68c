package dev.nabla.compiler.print;

import dev.nabla.compiler.check.CheckedModel;

/**
 * {@code nabla grad} in text form: the derivative program as {@code .nn} statements, each
 * preceded by a comment saying which chain-rule terms it sums. The statements parse back: put
 * them after a model's statements and they compute the same numbers.
 */
public final class GradText {
  private GradText() {}

  public static String render(ProgramLayout layout) {
    CheckedModel model = layout.program().model();
    ExprWriter writer = new ExprWriter(layout::nameOf);
    StringBuilder out = new StringBuilder();
    out.append("# Derivative program of model ").append(model.name())
        .append(" (").append(model.source().fileName()).append("), per instance:\n");
    out.append("# the generated code averages each param gradient over the batch.\n");
    for (ProgramLayout.Line line : layout.lines()) {
      out.append("# ").append(line.provenance()).append('\n');
      if (line.kind() == ProgramLayout.Kind.LOOP) {
        out.append(layout.loop(line.node()).text(writer));
        continue;
      }
      out.append(line.name()).append(" = ").append(writer.writeDefinition(line.node())).append(";\n");
    }
    return out.toString();
  }
}
