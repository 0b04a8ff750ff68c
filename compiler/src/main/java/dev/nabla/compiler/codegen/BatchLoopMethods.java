package dev.nabla.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nabla.compiler.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import javax.lang.model.element.Modifier;

/**
 * The loops over a batch of one generated class, each made a method that runs a range of
 * instances, so that the runtime ({@code dev.nabla.runtime.kernels.BatchLoops}) can split a large one
 * across threads:
 *
 * <pre>
 *   // in forward():                    // the loop, a method of its own:
 *   BatchLoops.run(this, 2, batch, 32);  private void loop2(int from, int to) {
 *                                          for (int b = from; b < to; b++) { ... }
 *                                        }
 * </pre>
 *
 * plus {@code rows(loop, from, to)}, the {@code BatchLoops.Body} method that dispatches by loop
 * number. Each loop is its own small method (rather than a case of one large switch) so that the
 * JIT compiles it however many loops a model has. Only loops in which instance {@code b} writes
 * nothing but its own elements are made so; sums over the batch stay in place, in order.
 */
final class BatchLoopMethods {

  private final BiConsumer<MethodSpec.Builder, List<Node>> hyperLocals;
  private final List<MethodSpec> methods = new ArrayList<>();
  /** Per loop: the statement that runs it, and its work per instance. */
  private final List<CodeBlock> runs = new ArrayList<>();
  private final List<Long> work = new ArrayList<>();
  private CodeBlock comment = CodeBlock.of("");

  /** @param hyperLocals declares, in a method, the hyper locals that the given nodes read */
  BatchLoopMethods(BiConsumer<MethodSpec.Builder, List<Node>> hyperLocals) {
    this.hyperLocals = hyperLocals;
  }

  /** The provenance comment of the statement being emitted, repeated at the top of its loop method. */
  void comment(CodeBlock comment) {
    this.comment = comment;
  }

  /**
   * Makes {@code rangeBody} (which runs instances {@code [from, to)}) a loop method and returns
   * the statement that runs it over the batch.
   *
   * @param reads the nodes whose code is in the body (for the hypers it reads)
   * @param workPerInstance an estimate of the element operations per instance
   */
  CodeBlock add(CodeBlock rangeBody, List<Node> reads, long workPerInstance) {
    int id = methods.size();
    MethodSpec.Builder m = MethodSpec.methodBuilder("loop" + id).addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "from").addParameter(int.class, "to")
        .addCode(comment);
    hyperLocals.accept(m, reads);
    methods.add(m.addCode(rangeBody).build());
    CodeBlock run = CodeBlock.of("$T.run(this, $L, batch, $L); // loop$L\n", RuntimeTypes.BATCH_LOOPS, id, workPerInstance, id);
    runs.add(run);
    work.add(workPerInstance);
    return run;
  }

  /** How many loops there are so far: the next loop's number. */
  int count() {
    return methods.size();
  }

  /** The statement that runs loop {@code id} over the batch ({@link #add}'s result). */
  CodeBlock run(int id) {
    return runs.get(id);
  }

  /**
   * One loop that runs loops {@code ids} in turn over each range of instances, and the statement
   * that runs it: one split across the threads instead of one per loop. Only for loops that each
   * write nothing but their own instances' rows of arrays that no other instance's rows overlap.
   */
  CodeBlock merge(List<Integer> ids) {
    CodeBlock.Builder body = CodeBlock.builder();
    long total = 0;
    for (int id : ids) {
      body.addStatement("$N(from, to)", methods.get(id));
      total += work.get(id);
    }
    return add(body.build(), List.of(), total);
  }

  /** Adds the loop methods and {@code rows}, and the interface, to the class (if it has loops). */
  void addTo(TypeSpec.Builder type) {
    if (methods.isEmpty()) {
      return;
    }
    type.addSuperinterface(RuntimeTypes.BATCH_LOOPS_BODY);
    CodeBlock.Builder cases = CodeBlock.builder().beginControlFlow("switch (loop)");
    for (int id = 0; id < methods.size(); id++) {
      cases.addStatement("case $L -> $N(from, to)", id, methods.get(id));
    }
    cases.addStatement("default -> throw new $T($S + loop)", IllegalArgumentException.class, "no loop ");
    cases.endControlFlow();
    type.addMethod(MethodSpec.methodBuilder("rows").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addJavadoc("Runs loop {@code loop} for the instances {@code [from, to)}: for {@link $T} only.\n", RuntimeTypes.BATCH_LOOPS)
        .addParameter(int.class, "loop").addParameter(int.class, "from").addParameter(int.class, "to")
        .addCode(cases.build())
        .build());
    methods.forEach(type::addMethod);
  }
}
