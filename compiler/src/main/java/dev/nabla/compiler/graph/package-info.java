/**
 * The computation graph: {@link dev.nabla.compiler.graph.Node}s of primitive
 * {@link dev.nabla.compiler.graph.Op}s, each op one small file with its shape rule, its
 * reference evaluation and its derivative rule, and the facets the other phases need
 * ({@link dev.nabla.compiler.graph.Op#traits}: fusable, mask, cost). docs/architecture.md
 * describes the phases around it.
 *
 * <h2>Adding an elementwise function of one value ({@code tan}, {@code erf}, ...)</h2>
 *
 * <ol>
 *   <li>{@link dev.nabla.compiler.graph.UnaryFn}: a constant with its name in the language, its
 *       cost, its LaTeX form, and (if any) its constant and whether it is a mask, all constructor
 *       arguments; {@code apply} and {@code vjp}, abstract. <em>javac</em>. Being written as a
 *       call makes it a built-in ({@code check/Builtins} registers every such function), printed
 *       by {@code print/ExprWriter} and {@code print/GradLatex} from its facets.
 *   <li>{@code codegen/ElementFormulas.unary}: its Java template. <em>javac</em> (a switch with no
 *       default).
 *   <li>{@code runtime/kernels/Scalars}: only when the JDK's {@code Math} lacks it (float and double;
 *       {@code apply} calls the same method, so the reference evaluator and the generated code
 *       agree).
 *   <li>Tests: a row in {@code autodiff/DerivativeCheckTest} (finite differences of the reference
 *       evaluator and of generated double code). <em>A test</em>:
 *       {@code autodiff/DerivativeCoverageTest} fails for a function without a row.
 *   <li>docs/language.md, where the function's conventions differ from the obvious.
 * </ol>
 *
 * Version 2's functions took: {@code tan sinh cosh asin acos atan log1p expm1 floor ceil round}
 * two main files each (UnaryFn, ElementFormulas); {@code asinh acosh atanh erf} three (and
 * Scalars); {@code clip(x, lo, hi)} one ({@code check/Builtins}: {@code min(max(x, lo), hi)}, so
 * that max's and min's rules send the gradient to a computed bound beyond which x lies).
 *
 * <h2>Adding an elementwise function of two values</h2>
 *
 * {@link dev.nabla.compiler.graph.BinaryFn} (name, cost, mask; {@code apply}, {@code vjp}),
 * {@code codegen/ElementFormulas.binary} (javac), a {@code define} line in {@code check/Builtins}
 * (its call syntax), a row in {@code DerivativeCheckTest} (DerivativeCoverageTest).
 *
 * <h2>Adding an op</h2>
 *
 * <ol>
 *   <li>{@code graph/NewOp.java}, a record implementing {@link dev.nabla.compiler.graph.Op}:
 *       {@code shape}, {@code eval}, {@code vjp}, {@code traits} (<em>javac</em>: abstract), its
 *       name in the language as {@code NAME} (used by Builtins, the printers and
 *       {@code toString}; {@code Extreme} takes {@code max}/{@code min} from {@code BinaryFn}, and
 *       {@code Broadcast}'s {@code NAME} is {@code expand}), and its class in the {@code permits}
 *       list of {@code Op.java} (<em>javac</em>: a class outside it cannot implement the sealed
 *       interface).
 *   <li>{@code graph/Graph.java}: a builder method (the only way to make a node).
 *   <li>{@code check/Builtins.java}: its call syntax, with the shape checks that give the user's
 *       errors (the op's {@code shape} assumes them).
 *   <li>{@code codegen/Emitter.compute}: which template computes it (<em>javac</em>), in the family
 *       file that fits ({@code ElementwiseCode}, {@code ProductCode}, {@code ReductionCode},
 *       {@code LayoutCode}) or a new one; {@code codegen/ElementFormulas.inline} names it too
 *       (<em>javac</em>), with its element formula if it is elementwise.
 *   <li>{@code print/ExprWriter.text} and {@code print/GradLatex.text}: how it is printed
 *       (<em>javac</em>).
 *   <li>Tests: a row in {@code autodiff/DerivativeCheckTest}; a golden or round-trip test if it
 *       appears in printed derivative programs ({@code print/GradRoundTripTest} parses them back).
 * </ol>
 */
package dev.nabla.compiler.graph;
