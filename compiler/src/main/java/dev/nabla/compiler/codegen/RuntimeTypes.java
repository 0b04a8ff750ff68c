package dev.nabla.compiler.codegen;

import com.palantir.javapoet.ClassName;
import dev.nabla.runtime.kernels.Activations;
import dev.nabla.runtime.kernels.BatchLoops;
import dev.nabla.runtime.kernels.BatchedGemm;
import dev.nabla.runtime.kernels.ConvBatchF32;
import dev.nabla.runtime.kernels.ConvBatchF64;
import dev.nabla.runtime.kernels.ConvForwardF32;
import dev.nabla.runtime.kernels.ConvForwardF64;
import dev.nabla.runtime.kernels.ConvPlan;
import dev.nabla.runtime.kernels.Convolutions;
import dev.nabla.runtime.kernels.PackedGemm;
import dev.nabla.runtime.kernels.PoolWindows;
import dev.nabla.runtime.kernels.Pools;
import dev.nabla.runtime.DType;
import dev.nabla.runtime.kernels.Gemm;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Init;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.kernels.Scalars;
import dev.nabla.runtime.kernels.Softmax;
import dev.nabla.runtime.kernels.Steps;
import dev.nabla.runtime.TensorSpec;
import java.util.List;

/**
 * The runtime classes that generated code names: the API a generated model implements and the
 * kernels it calls. Referenced by class, not by string, so that "find usages" of a runtime class
 * finds the code generator, and a moved class is a compile error here rather than a broken
 * generated file. {@link JavaNames} keeps model values off their simple names.
 */
final class RuntimeTypes {
  private RuntimeTypes() {}

  // ---- what a generated model implements and returns
  static final ClassName MODEL = ClassName.get(Model.class);
  static final ClassName MODEL_RUN = ClassName.get(ModelRun.class);
  static final ClassName NDARRAY = ClassName.get(NdArray.class);
  static final ClassName DTYPE = ClassName.get(DType.class);
  static final ClassName TENSOR_SPEC = ClassName.get(TensorSpec.class);
  static final ClassName INIT = ClassName.get(Init.class);
  static final ClassName BATCH_LOOPS = ClassName.get(BatchLoops.class);
  static final ClassName BATCH_LOOPS_BODY = ClassName.get(BatchLoops.Body.class);

  // ---- kernels the generated loops call
  static final ClassName SCALARS = ClassName.get(Scalars.class);
  static final ClassName GEMM = ClassName.get(Gemm.class);
  static final ClassName PACKED_GEMM = ClassName.get(PackedGemm.class);
  static final ClassName BATCHED_GEMM = ClassName.get(BatchedGemm.class);
  static final ClassName SOFTMAX = ClassName.get(Softmax.class);
  static final ClassName ACTIVATIONS = ClassName.get(Activations.class);
  static final ClassName CONVOLUTIONS = ClassName.get(Convolutions.class);
  static final ClassName POOLS = ClassName.get(Pools.class);
  static final ClassName STEPS = ClassName.get(Steps.class);
  static final ClassName CONV_PLAN = ClassName.get(ConvPlan.class);
  static final ClassName CONV_BATCH_F32 = ClassName.get(ConvBatchF32.class);
  static final ClassName CONV_BATCH_F64 = ClassName.get(ConvBatchF64.class);
  static final ClassName CONV_FORWARD_F32 = ClassName.get(ConvForwardF32.class);
  static final ClassName CONV_FORWARD_F64 = ClassName.get(ConvForwardF64.class);
  static final ClassName POOL_WINDOWS = ClassName.get(PoolWindows.class);

  // ---- what a generated gradient-check test calls
  static final ClassName GRADIENT_CHECK = ClassName.get(GradientCheck.class);

  static final List<ClassName> ALL =
      List.of(MODEL, MODEL_RUN, NDARRAY, DTYPE, TENSOR_SPEC, INIT, BATCH_LOOPS, BATCH_LOOPS_BODY,
          SCALARS, GEMM, SOFTMAX, ACTIVATIONS, CONVOLUTIONS, POOLS, GRADIENT_CHECK, BATCHED_GEMM, STEPS,
          CONV_PLAN, CONV_BATCH_F32, CONV_BATCH_F64, CONV_FORWARD_F32, CONV_FORWARD_F64, POOL_WINDOWS);
}
