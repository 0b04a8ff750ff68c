package dev.nabla.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.check.CheckedModel;

/** The runtime call that initialises one param with its declared initializer. */
final class InitCall {
  private InitCall() {}

  static CodeBlock of(CheckedModel.ParamInfo param, CodeBlock target) {
    var init = param.init();
    return switch (init.kind()) {
      case ZEROS -> CodeBlock.of("$T.zeros($L)", RuntimeTypes.INIT, target);
      case ONES -> CodeBlock.of("$T.ones($L)", RuntimeTypes.INIT, target);
      case CONST -> CodeBlock.of("$T.constant($L, $L)", RuntimeTypes.INIT, target, init.a());
      case UNIFORM -> CodeBlock.of("$T.uniform($L, seed, $S, $L, $L)", RuntimeTypes.INIT, target, param.name(), init.a(), init.b());
      case NORMAL -> CodeBlock.of("$T.normal($L, seed, $S, $L, $L)", RuntimeTypes.INIT, target, param.name(), init.a(), init.b());
      case XAVIER -> CodeBlock.of("$T.xavier($L, seed, $S)", RuntimeTypes.INIT, target, param.name());
      case HE -> CodeBlock.of("$T.he($L, seed, $S)", RuntimeTypes.INIT, target, param.name());
    };
  }
}
