package dev.nabla.compiler.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.check.Initializer;
import static dev.nabla.compiler.codegen.RuntimeTypes.DTYPE;
import static dev.nabla.compiler.codegen.RuntimeTypes.MODEL;
import static dev.nabla.compiler.codegen.RuntimeTypes.MODEL_RUN;
import static dev.nabla.compiler.codegen.RuntimeTypes.NDARRAY;
import static dev.nabla.compiler.codegen.RuntimeTypes.TENSOR_SPEC;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.names.JavaIdentifiers;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.print.GradText;
import dev.nabla.compiler.print.ProgramLayout;
import dev.nabla.runtime.HeapLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the Java classes of one model with JavaPoet: {@code <Model>} (params, hypers,
 * initialisation), {@code <Model>Forward} (buffers for one batch size; runs the batch forward)
 * and {@code <Model>Backward} (the derivative program; gradients of the batch-mean loss).
 * The output depends only on the model, the package and the precision, so the same input gives
 * byte-identical sources.
 */
public final class CodeGenerator {
  static final ClassName LIST = ClassName.get(List.class);

  /**
   * Where and how to generate.
   *
   * @param profile add per-phase timers ({@link PhaseProfile}, for {@code nabla bench --profile})
   * @param fuseProducts let dense layers' products do their element-wise work
   *     ({@link ProductFusion}); off only to measure what the fusion gains
   */
  public record Options(String packageName, Precision precision, boolean profile, boolean fuseProducts) {
    public Options(String packageName, Precision precision) {
      this(packageName, precision, false, true);
    }

    public static Options of(String packageName) {
      return new Options(packageName, Precision.FLOAT);
    }
  }

  private final Derivation derivation;
  private final CheckedModel model;
  private final DerivativeProgram program;
  private final Options options;
  private final Precision p;
  private final Plan plan;
  private final ClassName modelClass;
  private final ClassName forwardClass;
  private final ClassName backwardClass;
  private final TypeName array;
  /** For each gradient: the field holding it in the backward class. */
  private final Map<String, String> gradientFields = new LinkedHashMap<>();
  /** For each output not already held in a forward buffer: its copy's field. */
  private final Map<String, String> outputFields = new LinkedHashMap<>();
  private final JavaNames names = new JavaNames();
  /** The passes' timers with {@link Options#profile()}, else null. */
  private final PhaseProfile forwardProfile;
  private final PhaseProfile backwardProfile;

  private CodeGenerator(Derivation derivation, Options options) {
    this.derivation = derivation;
    this.model = derivation.model();
    this.program = derivation.program();
    this.options = options;
    this.p = options.precision();
    this.plan = new Plan(program, names, options.fuseProducts());
    String stem = JavaIdentifiers.classStem(model.name());
    this.modelClass = ClassName.get(options.packageName(), stem);
    this.forwardClass = ClassName.get(options.packageName(), stem + "Forward");
    this.backwardClass = ClassName.get(options.packageName(), stem + "Backward");
    this.array = ArrayTypeName.of(p.type());
    this.forwardProfile = PhaseProfile.of(options.profile(), "forward", plan, names);
    this.backwardProfile = PhaseProfile.of(options.profile(), "backward", plan, names);
    for (Map.Entry<String, Node> g : program.gradients().entrySet()) {
      Node n = g.getValue();
      // A grad input's gradient is per instance ([batch, ...]) even where its value is not.
      boolean reuse = plan.storage(n) == Storage.BACKWARD && !n.batched() && !model.gradInputs().contains(g.getKey());
      gradientFields.put(g.getKey(), reuse ? plan.name(n) : names.of("grad_" + g.getKey()));
    }
    for (Map.Entry<String, Node> o : model.outputs().entrySet()) {
      if (!viewable(o.getValue())) {
        outputFields.put(o.getKey(), names.of("out_" + o.getKey()));
      }
    }
  }

  /** The three source files of a model. */
  public static List<JavaFile> generate(Derivation derivation, Options options) {
    CodeGenerator g = new CodeGenerator(derivation, options);
    return List.of(g.file(g.modelType()), g.file(g.forwardType()), g.file(g.backwardType()));
  }

  private JavaFile file(TypeSpec type) {
    return JavaFile.builder(options.packageName(), type)
        .skipJavaLangImports(true)
        .indent("  ")
        .addFileComment("Generated by Nabla from $L (model $L). Do not edit.",
            Comments.safe(model.source().fileName()), Comments.safe(model.name()))
        .build();
  }

  /**
   * The check that a run's buffers (forward and backward, the outputs' copies, the convolutions'
   * scratch) fit in Java arrays and in the heap, before the constructor allocates any
   * ({@link HeapLimits#checkRun}).
   */
  private void runCheck(MethodSpec.Builder ctor) {
    MemoryStats stats = MemoryStats.of(derivation, plan);
    long perInstance = stats.perInstance();
    long largest = stats.largestPerInstance();
    for (String output : outputFields.keySet()) {
      long size = model.outputs().get(output).shape().size();
      perInstance += size;
      largest = Math.max(largest, size);
    }
    // The convolutions' scratch (ConvBatch) is summed when the run is made: part of it is per thread.
    ctor.addStatement("$T.checkRun($S, batch, $LL$L, $LL$L, $LL, $L)", HeapLimits.class, model.name(), perInstance,
        ConvCode.scratch(plan, p, true), stats.fixed(), ConvCode.scratch(plan, p, false), largest, p.bytes());
  }

  /** An output already held, batch by batch, in an input or forward buffer. */
  private boolean viewable(Node n) {
    Storage s = plan.storage(n);
    return n.batched() && (s == Storage.INPUT || s == Storage.FORWARD);
  }

  // ------------------------------------------------------------------ <Model>

  private TypeSpec modelType() {
    TypeSpec.Builder t = TypeSpec.classBuilder(modelClass)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(MODEL)
        .addJavadoc("Model {@code $L}: its params and hypers.\n\n", Comments.javadoc(model.name()))
        .addJavadoc("<p>Generated by Nabla from {@code $L}. Run a batch with {@link #newRun(int)}.\n",
            Comments.javadoc(model.source().fileName()));
    long paramElements = model.params().stream().mapToLong(param -> param.shape().size()).sum();
    // Before super(), so before the field initializers allocate the params: a clear error, not an OutOfMemoryError.
    t.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("A model whose params are zero until {@link #initialize} or a load. Checks that they fit\n"
            + "in the heap before allocating them.\n")
        .addStatement("$T.checkParams($S, $LL, $L)", HeapLimits.class, model.name(), paramElements, p.bytes())
        .addStatement("super()")
        .build());
    for (CheckedModel.ParamInfo param : model.params()) {
      t.addField(FieldSpec.builder(array, plan.name(param.node()), Modifier.PUBLIC, Modifier.FINAL)
          .addJavadoc("param {@code $L$L = $L}\n", Comments.javadoc(param.name()), param.shape(), param.init())
          .initializer("new $T[$L]", p.type(), param.shape().size())
          .build());
    }
    for (CheckedModel.HyperInfo hyper : model.hypers()) {
      t.addField(FieldSpec.builder(TypeName.DOUBLE, plan.name(hyper.node()), Modifier.PUBLIC)
          .addJavadoc("hyper {@code $L}, default $L; settable.\n", Comments.javadoc(hyper.name()), hyper.defaultValue())
          .initializer("$L", Double.toString(hyper.defaultValue()))
          .build());
    }
    t.addMethod(MethodSpec.methodBuilder("name").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(String.class).addStatement("return $S", model.name()).build());
    t.addMethod(MethodSpec.methodBuilder("dtype").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(DTYPE).addStatement("return $T.$L", DTYPE, p.dtype()).build());
    t.addMethod(specList("params", model.params().stream().map(x -> spec(x.name(), x.shape())).toList()));
    t.addMethod(specList("inputs", model.inputs().stream().map(x -> spec(x.name(), x.shape())).toList()));
    t.addMethod(specList("targets", model.targets().stream().map(x -> spec(x.name(), x.shape())).toList()));
    t.addMethod(specList("outputs", model.outputs().entrySet().stream().map(x -> spec(x.getKey(), x.getValue().shape())).toList()));
    t.addMethod(stringList("gradInputs", model.gradInputs()));
    t.addMethod(stringList("hyperNames", model.hypers().stream().map(CheckedModel.HyperInfo::name).toList()));
    t.addMethod(hyperGetter());
    t.addMethod(hyperSetter());
    addParamView(t);
    t.addMethod(initialize());
    t.addMethod(MethodSpec.methodBuilder("newRun").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addJavadoc("Buffers for batches of {@code batchSize} instances, allocated once.\n")
        .addParameter(int.class, "batchSize").returns(forwardClass)
        .addStatement("return new $T(this, batchSize)", forwardClass).build());
    return t.build();
  }

  private static CodeBlock spec(String name, Shape shape) {
    return CodeBlock.of("new $T($S, new int[] {$L})", TENSOR_SPEC, name, dims(shape));
  }

  private static String dims(Shape shape) {
    return String.join(", ", shape.dims().stream().map(String::valueOf).toList());
  }

  private MethodSpec specList(String method, List<CodeBlock> specs) {
    return MethodSpec.methodBuilder(method).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(LIST, TENSOR_SPEC))
        .addStatement("return $T.of($L)", List.class, CodeBlock.join(specs, ", "))
        .build();
  }

  private MethodSpec stringList(String method, List<String> values) {
    List<CodeBlock> items = values.stream().map(v -> CodeBlock.of("$S", v)).toList();
    return MethodSpec.methodBuilder(method).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(LIST, ClassName.get(String.class)))
        .addStatement("return $T.of($L)", List.class, CodeBlock.join(items, ", "))
        .build();
  }

  private MethodSpec hyperGetter() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("hyper").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(String.class, "name").returns(double.class);
    m.beginControlFlow("switch (name)");
    for (CheckedModel.HyperInfo h : model.hypers()) {
      m.addStatement("case $S: return $N", h.name(), plan.name(h.node()));
    }
    m.addStatement("default: throw new $T($S + name + $S)", IllegalArgumentException.class,
        "model " + model.name() + " has no hyper '", "'");
    m.endControlFlow();
    return m.build();
  }

  private MethodSpec hyperSetter() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("setHyper").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(String.class, "name").addParameter(double.class, "value");
    m.beginControlFlow("switch (name)");
    for (CheckedModel.HyperInfo h : model.hypers()) {
      m.addStatement("case $S: $N = value; break", h.name(), plan.name(h.node()));
    }
    m.addStatement("default: throw new $T($S + name + $S)", IllegalArgumentException.class,
        "model " + model.name() + " has no hyper '", "'");
    m.endControlFlow();
    return m.build();
  }

  private void addParamView(TypeSpec.Builder t) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("param").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(String.class, "name").returns(NDARRAY)
        .addJavadoc("A live view of a param: writes to it change the model.\n");
    List<CodeBlock> cases = new ArrayList<>();
    for (CheckedModel.ParamInfo param : model.params()) {
      cases.add(CodeBlock.of("case $S: return $L", param.name(), view(CodeBlock.of("$N", plan.name(param.node())), param.shape(), false)));
    }
    addNameLookup(t, m, cases, "has no param '");
  }

  /** Cases of a name lookup past which it is split into part methods (the 64 KB method limit). */
  static final int MAX_LOOKUP_CASES = 400;

  /**
   * Completes {@code method(String name)}, which returns an {@code NdArray}, as a switch over
   * {@code cases} ({@code case "W1": return ...}) that throws for an unknown name. With more than
   * {@link #MAX_LOOKUP_CASES} cases (a model of hundreds of layers) the switch is cut into
   * private methods {@code <method>0(name)}, ... that return null for a name they do not hold,
   * tried in turn.
   */
  private void addNameLookup(TypeSpec.Builder t, MethodSpec.Builder method, List<CodeBlock> cases, String failure) {
    String name = method.build().name();
    CodeBlock thrown = CodeBlock.of("throw new $T($S + name + $S)", IllegalArgumentException.class,
        "model " + model.name() + " " + failure, "'");
    if (cases.size() <= MAX_LOOKUP_CASES) {
      method.beginControlFlow("switch (name)");
      cases.forEach(method::addStatement);
      method.addStatement("default: $L", thrown).endControlFlow();
      t.addMethod(method.build());
      return;
    }
    method.addStatement("$T found", NDARRAY);
    for (int part = 0; part * MAX_LOOKUP_CASES < cases.size(); part++) {
      MethodSpec.Builder m = MethodSpec.methodBuilder(name + part).addModifiers(Modifier.PRIVATE)
          .addParameter(String.class, "name").returns(NDARRAY)
          .beginControlFlow("switch (name)");
      cases.subList(part * MAX_LOOKUP_CASES, Math.min(cases.size(), (part + 1) * MAX_LOOKUP_CASES))
          .forEach(m::addStatement);
      MethodSpec built = m.addStatement("default: return null").endControlFlow().build();
      t.addMethod(built);
      method.beginControlFlow("if ((found = $N(name)) != null)", built).addStatement("return found").endControlFlow();
    }
    t.addMethod(method.addStatement(thrown).build());
  }

  /** {@code NdArray.ofFloats(array, dims)}: a view, no copy. */
  private CodeBlock view(CodeBlock arrayRef, Shape shape, boolean batched) {
    String method = p == Precision.FLOAT ? "ofFloats" : "of";
    String d = dims(shape);
    if (batched) {
      d = d.isEmpty() ? "batch" : "batch, " + d;
    }
    return CodeBlock.of("$T.$L($L$L)", NDARRAY, method, arrayRef, d.isEmpty() ? "" : ", " + d);
  }

  private MethodSpec initialize() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("initialize").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(long.class, "seed")
        .addJavadoc("Fills every param with its declared initializer; the same seed gives the same values.\n");
    for (CheckedModel.ParamInfo param : model.params()) {
      m.addStatement("$L", InitCall.of(param, CodeBlock.of("param($S)", param.name())));
    }
    return m.build();
  }

  // ------------------------------------------------------------------ <Model>Forward

  private TypeSpec forwardType() {
    Pass pass = pass(false);
    PhaseProfile profile = forwardProfile;
    Emitter e = pass.emitter();
    TypeSpec.Builder t = TypeSpec.classBuilder(forwardClass)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(MODEL_RUN)
        .addJavadoc("The forward pass of model {@code $L} over a batch, with buffers for one batch size.\n",
            Comments.javadoc(model.name()))
        .addJavadoc("<p>Fill the inputs and targets ({@link #input(String)}), call {@link #forward()}, then\n"
            + "{@link #backward()} for the gradients of the batch-mean loss.\n");
    addPassFields(t, Modifier.FINAL);
    t.addField(FieldSpec.builder(backwardClass, "backward", Modifier.PRIVATE).build());
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addParameter(modelClass, "model").addParameter(int.class, "batch")
        .beginControlFlow("if (batch < 1)")
        .addStatement("throw new $T($S + batch)", IllegalArgumentException.class, "the batch size must be at least 1, not ")
        .endControlFlow()
        .addStatement("this.model = model").addStatement("this.batch = batch")
        .addStatement("this.invB = $L / batch", p.literal(1));
    runCheck(ctor);
    List<Node> buffers = new ArrayList<>();
    for (CheckedModel.Declared d : concat(model.inputs(), model.targets())) {
      buffers.add(d.node());
    }
    for (Node n : plan.forwardNodes()) {
      if (plan.storage(n) == Storage.FORWARD) {
        buffers.add(n);
      }
    }
    java.util.Set<String> declared = new java.util.HashSet<>();
    List<FieldSpec.Builder> fields = new ArrayList<>();
    List<CodeBlock> allocations = new ArrayList<>();
    for (Node n : buffers) {
      String kept = plan.storage(n) == Storage.INPUT ? "input" : plan.readByBackward(n) ? "kept for backward" : "scratch";
      declareBuffer(fields, allocations, declared, n,
          CodeBlock.of("$L, $L $L.\n", kept, n.shape(), n.batched() ? "per instance" : "shared by the batch"));
    }
    declareLoops(fields, allocations, declared, plan.forwardNodes());
    for (Map.Entry<String, String> o : outputFields.entrySet()) {
      Node n = model.outputs().get(o.getKey());
      fields.add(FieldSpec.builder(array, o.getValue()));
      allocations.add(CodeBlock.of("this.$N = new $T[batch * $L]", o.getValue(), p.type(), n.shape().size()));
    }
    addConstructorFields(t, ctor, fields, allocations, "allocate");

    MethodSpec.Builder run = MethodSpec.methodBuilder("forward").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(double.class)
        .addJavadoc("Runs the batch forward and returns the mean loss over the batch.\n");
    List<CodeBlock> body = computeAll(pass, plan.forwardNodes(), Storage.FORWARD, this::sourceComment, profile);
    for (Map.Entry<String, String> o : outputFields.entrySet()) {
      Node n = model.outputs().get(o.getKey());
      CodeBlock copy = copyPerInstance(o.getValue(), n, e, null);
      body.add(CodeBlock.builder()
          .add("// output $L\n", Comments.safe(o.getKey()))
          .add(copy)
          .add(profile == null ? CodeBlock.of("") : profile.lap(null, "copy of output " + o.getKey(), copy))
          .build());
    }
    if (profile != null) {
      body.addFirst(profile.start());
    }
    addBody(t, run, "forwardPart", body, plan.forwardNodes());
    Node loss = model.loss();
    if (loss.batched()) {
      run.addStatement("double $N = 0", Locals.TOTAL);
      run.beginControlFlow("for (int $L = 0; $L < $L; $L++)", Locals.B, Locals.B, Locals.BATCH, Locals.B);
      run.addStatement("$N += $L", Locals.TOTAL, e.elem(loss, Locals.B, Ix.of(0)));
      run.endControlFlow();
      if (profile != null) {
        run.addCode(profile.lap(null, "mean loss", CodeBlock.of("")));
      }
      run.addStatement("return $N / $L", Locals.TOTAL, Locals.BATCH);
    } else {
      run.addStatement("return $L", e.elem(loss, Ix.of(0), Ix.of(0)));
    }
    t.addMethod(run.build());
    pass.loops().addTo(t);
    pass.fields().addTo(t, ctor);
    if (profile != null) {
      profile.addTo(t);
      t.addMethod(MethodSpec.methodBuilder("phaseTimes").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .returns(ParameterizedTypeName.get(LIST, PhaseProfile.PHASE_TIMES))
          .addStatement("return $T.of($N, gradients().$N)", List.class, profile.field(), backwardProfile.field())
          .build());
    }

    t.addMethod(MethodSpec.methodBuilder("model").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(modelClass).addStatement("return model").build());
    t.addMethod(MethodSpec.methodBuilder("batchSize").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(int.class).addStatement("return batch").build());
    MethodSpec.Builder input = MethodSpec.methodBuilder("input").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(String.class, "name").returns(NDARRAY)
        .addJavadoc("A live view of an input or target buffer, [batch, ...]: fill it before {@link #forward()}.\n");
    Views views = new Views();
    List<CodeBlock> inputCases = new ArrayList<>();
    for (CheckedModel.Declared d : concat(model.inputs(), model.targets())) {
      String field = views.add(d.name() + "View", view(CodeBlock.of("$N", plan.name(d.node())), d.shape(), true));
      inputCases.add(CodeBlock.of("case $S: return $N", d.name(), field));
    }
    addNameLookup(t, input, inputCases, "has no input or target '");
    MethodSpec.Builder output = MethodSpec.methodBuilder("output").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(String.class, "name").returns(NDARRAY)
        .addJavadoc("An output of the last {@link #forward()}, [batch, ...].\n");
    List<CodeBlock> outputCases = new ArrayList<>();
    for (Map.Entry<String, Node> o : model.outputs().entrySet()) {
      String field = outputFields.getOrDefault(o.getKey(), plan.name(o.getValue()));
      String viewField = views.add(o.getKey() + "View", view(CodeBlock.of("$N", field), o.getValue().shape(), true));
      outputCases.add(CodeBlock.of("case $S: return $N", o.getKey(), viewField));
    }
    addNameLookup(t, output, outputCases, "has no output '");
    views.addTo(t, ctor, "views");
    t.addMethod(MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addJavadoc("Computes the gradients of the mean loss of the last {@link #forward()}.\n")
        .beginControlFlow("if (backward == null)")
        .addStatement("backward = new $T(this)", backwardClass)
        .endControlFlow()
        .addStatement("backward.run()").build());
    t.addMethod(MethodSpec.methodBuilder("backwardAndSgd").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(double.class, "lr")
        .addJavadoc("{@link #backward()} and one plain SGD step of every param, {@code p -= lr * g} (see\n"
            + "{@link $T#backwardAndSgd}).\n", MODEL_RUN)
        .beginControlFlow("if (backward == null)")
        .addStatement("backward = new $T(this)", backwardClass)
        .endControlFlow()
        .addStatement("backward.runAndSgd(lr)").build());
    t.addMethod(MethodSpec.methodBuilder("gradients").addModifiers(Modifier.PUBLIC).returns(backwardClass)
        .addJavadoc("The backward pass and its gradient buffers (after {@link #backward()}).\n")
        .beginControlFlow("if (backward == null)")
        .addStatement("backward = new $T(this)", backwardClass)
        .endControlFlow()
        .addStatement("return backward").build());
    t.addMethod(MethodSpec.methodBuilder("gradient").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "name").returns(NDARRAY)
        .addStatement("return gradients().gradient(name)").build());
    t.addMethod(ctor.build());
    return t.build();
  }

  /**
   * The views a class makes once, in its constructor, to return from its lookups: asking for a
   * view allocates nothing.
   */
  private final class Views {
    private final List<FieldSpec.Builder> fields = new ArrayList<>();
    private final List<CodeBlock> inits = new ArrayList<>();

    /** A field holding {@code view}, named after {@code wanted}. */
    String add(String wanted, CodeBlock view) {
      String field = names.of(wanted);
      fields.add(FieldSpec.builder(NDARRAY, field, Modifier.PRIVATE));
      inits.add(CodeBlock.of("this.$N = $L", field, view));
      return field;
    }

    void addTo(TypeSpec.Builder t, MethodSpec.Builder ctor, String stem) {
      addConstructorFields(t, ctor, fields, inits, stem);
    }
  }

  // ------------------------------------------------------------------ parts both passes share

  /** One pass's class being written: its loop methods and the emitter that adds to them. */
  private record Pass(BatchLoopMethods loops, Emitter emitter, PassFields fields) {}

  private Pass pass(boolean inBackward) {
    BatchLoopMethods loops = new BatchLoopMethods(this::hyperLocals);
    PassFields fields = new PassFields(names::of);
    return new Pass(loops, new Emitter(plan, p, inBackward, loops, fields), fields);
  }

  /** The fields of both pass classes: the model, the batch size, and 1 / batch in the precision. */
  private void addPassFields(TypeSpec.Builder t, Modifier... modifiers) {
    t.addField(modelClass, Locals.MODEL, modifiers);
    t.addField(int.class, Locals.BATCH.name(), modifiers);
    t.addField(p.type(), Locals.INV_B, modifiers);
  }

  /**
   * The statements of a pass: for each value of {@code nodes} that the pass stores, its comment
   * ({@code // 11:8 ...}, repeated at the top of its loop method) and its code.
   */
  private List<CodeBlock> computeAll(Pass pass, List<Node> nodes, Storage storage,
      java.util.function.Function<Node, CodeBlock> comment, PhaseProfile profile) {
    List<CodeBlock> body = new ArrayList<>();
    for (Node n : nodes) {
      if ((plan.storage(n) == storage || plan.recurrence(n) != null) && !plan.silent(n)) {
        pass.loops().comment(comment.apply(n));
        CodeBlock code = pass.emitter().compute(n);
        CodeBlock.Builder block = CodeBlock.builder().add(comment.apply(n)).add(code);
        if (profile != null) {
          block.add(profile.lap(n, where(n), code));
        }
        body.add(block.build());
      }
    }
    return body;
  }

  /** {@code 12:16}: where a value comes from in the source, or "". */
  private static String where(Node n) {
    var span = n.origin().span();
    return span.isKnown() ? span.line() + ":" + span.column() : "";
  }

  /** A value's array: the slot it shares, or a field of its own (with {@code javadoc}, if any). */
  private void declareBuffer(List<FieldSpec.Builder> fields, List<CodeBlock> allocations, java.util.Set<String> declared,
      Node n, CodeBlock javadoc) {
    if (plan.slot(n) != null) {
      declareSlot(fields, allocations, plan.slot(n), declared);
      return;
    }
    FieldSpec.Builder field = FieldSpec.builder(array, plan.name(n));
    fields.add(javadoc == null ? field : field.addJavadoc(javadoc));
    allocations.add(CodeBlock.of("this.$N = new $T[$L]", plan.name(n), p.type(), size(n)));
  }

  /**
   * The arrays of the recurrences among {@code nodes} ({@link RecurrencePlan}): the step's values
   * and the loop's own rows, states and copies, allocated once with the pass's other buffers.
   */
  private void declareLoops(List<FieldSpec.Builder> fields, List<CodeBlock> allocations, java.util.Set<String> declared,
      List<Node> nodes) {
    for (Node n : nodes) {
      RecurrencePlan r = plan.recurrence(n);
      if (r == null) {
        continue;
      }
      if (r.stepField != null) {
        fields.add(FieldSpec.builder(int.class, r.stepField, Modifier.PRIVATE)
            .addJavadoc("the step t of a recurrence's loop, for its loop methods.\n"));
      }
      for (RecurrencePlan.Field f : r.fields) {
        fields.add(FieldSpec.builder(array, f.name()).addJavadoc("loop array of a recurrence, $L element$L $L.\n",
            f.size(), f.size() == 1 ? "" : "s", f.batched() ? "per instance" : "shared by the batch"));
        allocations.add(CodeBlock.of("this.$N = new $T[$L]", f.name(), p.type(),
            f.batched() ? "batch * " + f.size() : String.valueOf(f.size())));
      }
      for (Node v : r.step.forwardNodes()) {
        if (r.step.storage(v) != Storage.FORWARD || r.step.aliased(v) || r.combinedUnder(v) != null) {
          continue; // aliased: a state's update in the state's array (RecurrencePlan.inPlace); under a combined sum: no array read
        }
        if (r.step.slot(v) != null) {
          declareSlot(fields, allocations, r.step.slot(v), declared);
        } else {
          fields.add(FieldSpec.builder(array, r.step.name(v))
              .addJavadoc("a step's value of a recurrence, $L $L.\n", v.shape(), v.batched() ? "per instance" : "shared by the batch"));
          allocations.add(CodeBlock.of("this.$N = new $T[$L]", r.step.name(v), p.type(), size(v)));
        }
      }
    }
  }

  /** One array that scratch values share in turn (see {@link MemoryPlan}). */
  private void declareSlot(List<FieldSpec.Builder> fields, List<CodeBlock> allocations, MemoryPlan.Slot slot,
      java.util.Set<String> declared) {
    if (!declared.add(slot.name)) {
      return;
    }
    fields.add(FieldSpec.builder(array, slot.name)
        .addJavadoc("scratch shared by $L value$L whose lives do not overlap, $L element$L $L.\n",
            slot.values.size(), slot.values.size() == 1 ? "" : "s", slot.size, slot.size == 1 ? "" : "s",
            slot.batched ? "per instance" : "shared by the batch"));
    allocations.add(CodeBlock.of("this.$N = new $T[$L]", slot.name, p.type(),
        slot.batched ? "batch * " + slot.size : String.valueOf(slot.size)));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String size(Node n) {
    return n.batched() ? "batch * " + n.shape().size() : String.valueOf(n.shape().size());
  }

  /** Buffers past which a constructor allocates them in part methods (the 64 KB method limit). */
  static final int MAX_CONSTRUCTOR_ALLOCATIONS = 1_000;

  /**
   * Declares fields and initialises them in the constructor (buffers, or views of them): final
   * fields, as written by hand, or for a very large model (more than
   * {@link #MAX_CONSTRUCTOR_ALLOCATIONS}) plain fields initialised by private methods
   * {@code <stem>0()}, ... that the constructor calls ({@code allocate0()}, {@code views0()}).
   */
  private static void addConstructorFields(TypeSpec.Builder t, MethodSpec.Builder ctor, List<FieldSpec.Builder> fields,
      List<CodeBlock> allocations, String stem) {
    boolean split = allocations.size() > MAX_CONSTRUCTOR_ALLOCATIONS;
    for (FieldSpec.Builder f : fields) {
      boolean counter = f.build().type().isPrimitive(); // a loop's step t, set as the loop runs
      t.addField((split || counter ? f : f.addModifiers(Modifier.FINAL)).build());
    }
    if (!split) {
      allocations.forEach(ctor::addStatement);
      return;
    }
    int chunk = MAX_CONSTRUCTOR_ALLOCATIONS / 2;
    for (int part = 0; part * chunk < allocations.size(); part++) {
      MethodSpec.Builder m = MethodSpec.methodBuilder(stem + part).addModifiers(Modifier.PRIVATE);
      allocations.subList(part * chunk, Math.min(allocations.size(), (part + 1) * chunk)).forEach(m::addStatement);
      t.addMethod(m.build());
      ctor.addStatement("$N()", stem + part);
    }
  }

  /** Generated code per method past which a body is split into part methods. */
  static final int MAX_METHOD_CHARS = 12_000;

  /**
   * Adds the statements of a pass to its method, or, when they are too long for one JVM method
   * (64 KB of bytecode), to private methods {@code <stem>0()}, {@code <stem>1()}, ... that the
   * method calls in order. Every statement block is self-contained (its locals are its own,
   * values pass through fields), so it can go to any part; each part declares the hyper locals.
   * Small models, all of the samples, stay in one method.
   */
  private void addBody(TypeSpec.Builder t, MethodSpec.Builder method, String stem, List<CodeBlock> body, List<Node> nodes) {
    int total = body.stream().mapToInt(b -> b.toString().length()).sum();
    if (total <= MAX_METHOD_CHARS) {
      hyperLocals(method, nodes);
      body.forEach(method::addCode);
      return;
    }
    hyperLocals(method, nodes); // what follows the body (the loss) may read a hyper
    int part = 0;
    int at = 0;
    while (at < body.size()) {
      MethodSpec.Builder m = MethodSpec.methodBuilder(stem + part).addModifiers(Modifier.PRIVATE);
      hyperLocals(m, nodes);
      int chars = 0;
      do {
        CodeBlock block = body.get(at++);
        chars += block.toString().length();
        m.addCode(block);
      } while (at < body.size() && chars + body.get(at).toString().length() <= MAX_METHOD_CHARS);
      t.addMethod(m.build());
      method.addStatement("$N()", stem + part);
      part++;
    }
  }

  /** Locals for the hypers a program reads, in the generated precision. */
  private void hyperLocals(MethodSpec.Builder m, List<Node> nodes) {
    for (CheckedModel.HyperInfo h : model.hypers()) {
      boolean used = nodes.stream().anyMatch(n -> n.inputs().contains(h.node()) || n == h.node());
      if (used) {
        m.addStatement("final $T $N = $L", p.type(), plan.name(h.node()), p.fromDouble(CodeBlock.of("model.$N", plan.name(h.node()))));
      }
    }
  }

  /** The longest source line quoted whole in a comment; longer ones are cut. */
  static final int MAX_QUOTED = 200;

  /**
   * {@code field[b * size + j] = [scale *] n[b, j]} for every instance: a value copied into a
   * per-instance array of its own (an output of the forward pass, a grad input's gradient).
   */
  private static CodeBlock copyPerInstance(String field, Node n, Emitter e, String scale) {
    int size = n.shape().size();
    CodeBlock value = e.elem(n, n.batched() ? Locals.B : Ix.of(0), Locals.J);
    return CodeBlock.builder()
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", Locals.B, Locals.B, Locals.BATCH, Locals.B)
        .add(LoopPolicy.loop(size, Locals.J, CodeBlock.of("$N[$L] = $L;\n", field, Locals.B.times(size).plus(Locals.J),
            scale == null ? value : CodeBlock.of("$N * $L", scale, value))))
        .endControlFlow()
        .build();
  }

  /** {@code // line 11: z1 = W1 @ x + b1;} for a forward statement. */
  private CodeBlock sourceComment(Node n) {
    var span = n.origin().span();
    if (!span.isKnown()) {
      return CodeBlock.of("");
    }
    String line = model.source().line(span.line()).strip();
    if (line.length() > MAX_QUOTED) {
      // One long line holds many statements' nodes: quoting it whole for each is quadratic.
      line = line.substring(0, MAX_QUOTED) + " ...";
    }
    return CodeBlock.of("// $L:$L: $L\n", span.line(), span.column(), Comments.safe(line));
  }

  // ------------------------------------------------------------------ <Model>Backward

  private TypeSpec backwardType() {
    Pass pass = pass(true);
    PhaseProfile profile = backwardProfile;
    Emitter e = pass.emitter();
    ProgramLayout layout = ProgramLayout.of(program, null);
    TypeSpec.Builder t = TypeSpec.classBuilder(backwardClass)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("The backward pass of model {@code $L}: gradients of the batch-mean loss.\n\n",
            Comments.javadoc(model.name()))
        .addJavadoc("<p>The derivative program, per instance (as {@code nabla grad} prints it):\n<pre>\n$L</pre>\n",
            Comments.javadoc(GradText.render(layout).strip()));
    t.addField(forwardClass, Locals.FORWARD, Modifier.PRIVATE, Modifier.FINAL);
    addPassFields(t, Modifier.PRIVATE, Modifier.FINAL);
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
        .addParameter(forwardClass, "f")
        .addStatement("this.f = f").addStatement("this.model = f.model")
        .addStatement("this.batch = f.batch").addStatement("this.invB = f.invB");
    java.util.Set<String> declared = new java.util.HashSet<>();
    List<FieldSpec.Builder> fields = new ArrayList<>();
    List<CodeBlock> allocations = new ArrayList<>();
    for (Node n : plan.backwardNodes()) {
      if (plan.storage(n) == Storage.BACKWARD) {
        declareBuffer(fields, allocations, declared, n, null);
      }
    }
    declareLoops(fields, allocations, declared, plan.backwardNodes());
    for (Map.Entry<String, Node> g : program.gradients().entrySet()) {
      String field = gradientFields.get(g.getKey());
      if (!field.equals(plan.name(g.getValue())) || plan.storage(g.getValue()) != Storage.BACKWARD) {
        fields.add(FieldSpec.builder(array, field));
        String size = model.gradInputs().contains(g.getKey()) ? "batch * " + g.getValue().shape().size() : size(g.getValue());
        allocations.add(CodeBlock.of("this.$N = new $T[$L]", field, p.type(), size));
      }
    }
    addConstructorFields(t, ctor, fields, allocations, "allocate");

    MethodSpec.Builder run = MethodSpec.methodBuilder("run").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Computes every gradient from the forward pass's kept values.\n");
    List<CodeBlock> body = computeAll(pass, plan.backwardNodes(), Storage.BACKWARD, this::provenance, profile);
    for (Map.Entry<String, Node> g : program.gradients().entrySet()) {
      Node n = g.getValue();
      String field = gradientFields.get(g.getKey());
      if (field.equals(plan.name(n)) && plan.storage(n) == Storage.BACKWARD) {
        continue;
      }
      CodeBlock.Builder copy = CodeBlock.builder().add("// gradient of $L\n", Comments.safe(g.getKey()));
      if (model.gradInputs().contains(g.getKey())) {
        // d(mean loss)/dx_b is 1/B times instance b's own gradient.
        copy.add(copyPerInstance(field, n, e, Locals.INV_B));
      } else {
        copy.add(LoopPolicy.loop(n.shape().size(), Locals.J,
            CodeBlock.of("$N[$L] = $L;\n", field, Locals.J, e.elem(n, Ix.of(0), Locals.J))));
      }
      if (profile != null) {
        copy.add(profile.lap(null, "copy of gradient " + g.getKey(), CodeBlock.of("")));
      }
      body.add(copy.build());
    }
    body.add(sgdSteps(profile));
    if (profile != null) {
      body.addFirst(profile.start());
    }
    addBody(t, run, "backwardPart", body, plan.backwardNodes());
    t.addMethod(run.build());
    addSgdFields(t);
    pass.loops().addTo(t);
    pass.fields().addTo(t, ctor);
    if (profile != null) {
      profile.addTo(t);
    }

    MethodSpec.Builder gradient = MethodSpec.methodBuilder("gradient").addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "name").returns(NDARRAY)
        .addJavadoc("The gradient of the batch-mean loss for a param (its shape) or a grad input ([batch, ...]).\n");
    Views views = new Views();
    List<CodeBlock> gradientCases = new ArrayList<>();
    for (Map.Entry<String, Node> g : program.gradients().entrySet()) {
      boolean perInstance = model.gradInputs().contains(g.getKey());
      String field = views.add("grad_" + g.getKey() + "View",
          view(CodeBlock.of("$N", gradientFields.get(g.getKey())), declaredShape(g.getKey()), perInstance));
      gradientCases.add(CodeBlock.of("case $S: return $N", g.getKey(), field));
    }
    addNameLookup(t, gradient, gradientCases, "has no gradient for '");
    views.addTo(t, ctor, "views");
    t.addMethod(ctor.build());

    for (Map.Entry<String, Node> g : program.gradients().entrySet()) {
      boolean perInstance = model.gradInputs().contains(g.getKey());
      t.addMethod(MethodSpec.methodBuilder(names.of("grad_" + g.getKey() + "_array"))
          .addModifiers(Modifier.PUBLIC).returns(array)
          .addJavadoc("The gradient of the batch-mean loss with respect to {@code $L}$L:\n<pre>\n$L</pre>\n",
              Comments.javadoc(g.getKey()), perInstance ? " ([batch, ...], each 1/B of the instance's own)" : "",
              Comments.javadoc(gradientProgram(layout.only(g.getKey()))))
          .addStatement("return $N", gradientFields.get(g.getKey()))
          .build());
    }
    return t.build();
  }

  /**
   * In {@code runAndSgd}, after the gradients: the SGD step of each param not taken in its
   * gradient's product ({@link SgdFusion}), split across the pool by {@code SgdUpdate}.
   */
  private CodeBlock sgdSteps(PhaseProfile profile) {
    CodeBlock.Builder steps = CodeBlock.builder().beginControlFlow("if ($N)", Locals.SGD);
    SgdFusion fusion = plan.sgdFusion();
    for (CheckedModel.ParamInfo param : model.params()) {
      String name = param.name();
      if (!fusion.fused(name) && gradientFields.containsKey(name)) {
        steps.addStatement("$N.apply($N.$N, $N, $N)", Locals.SGD_UPDATE, Locals.MODEL, plan.name(param.node()),
            gradientFields.get(name), Locals.SGD_RATE);
      }
    }
    if (profile != null) {
      steps.add(profile.lap(null, "SGD step of the params not updated in their gradient's product", CodeBlock.of("")));
    }
    return steps.endControlFlow().build();
  }

  /** The backward class's SGD switch, rate and update, and {@code runAndSgd(lr)}. */
  private void addSgdFields(TypeSpec.Builder t) {
    t.addField(boolean.class, Locals.SGD, Modifier.PRIVATE);
    t.addField(p.type(), Locals.SGD_RATE, Modifier.PRIVATE);
    t.addField(FieldSpec.builder(RuntimeTypes.SGD_UPDATE, Locals.SGD_UPDATE, Modifier.PRIVATE, Modifier.FINAL)
        .initializer("new $T()", RuntimeTypes.SGD_UPDATE).build());
    t.addMethod(MethodSpec.methodBuilder("runAndSgd").addModifiers(Modifier.PUBLIC)
        .addParameter(double.class, "lr")
        .addJavadoc("{@link #run()}, then {@code p -= lr * g} for every param (in the weight gradients' products where\n"
            + "nothing after them reads the weights, after the pass for the others).\n")
        .addStatement("$N = $L", Locals.SGD_RATE, p.fromDouble(CodeBlock.of("lr")))
        .addStatement("$N = true", Locals.SGD)
        .beginControlFlow("try")
        .addStatement("run()")
        .nextControlFlow("finally")
        .addStatement("$N = false", Locals.SGD)
        .endControlFlow()
        .build());
  }

  /**
   * Longest derivative program quoted in full in a gradient's Javadoc. In a deep network the
   * first layer's gradient needs almost every line, so quoting each gradient's program in full
   * would make the source quadratic in the depth; past this, the Javadoc quotes the gradient's
   * own line and points to the class Javadoc, which holds the whole program once.
   */
  static final int MAX_GRADIENT_JAVADOC_LINES = 12;

  /** The lines one gradient needs, without {@code #} comments, or its last line and a pointer. */
  private static String gradientProgram(ProgramLayout only) {
    List<String> lines = GradText.render(only).lines().filter(l -> !l.startsWith("#")).toList();
    if (lines.size() <= MAX_GRADIENT_JAVADOC_LINES) {
      return String.join("\n", lines).strip();
    }
    return "# after " + (lines.size() - 1) + " lines of the class Javadoc's program\n" + lines.getLast().strip();
  }

  private Shape declaredShape(String name) {
    return model.values().get(name).shape();
  }

  /** {@code // 11:8 dL/dz1 * dz1/d(W1, x)}: where a backward statement comes from. */
  private CodeBlock provenance(Node n) {
    var span = n.origin().span();
    String where = span.isKnown() ? span.line() + ":" + span.column() + " " : "";
    String term = n.origin().term().isEmpty() ? "" : n.origin().term();
    return CodeBlock.of("// $L$L\n", where, Comments.safe(term));
  }

}
