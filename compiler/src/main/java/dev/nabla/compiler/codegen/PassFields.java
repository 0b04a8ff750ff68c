package dev.nabla.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.lang.model.element.Modifier;

/**
 * Objects a generated pass class makes once, in its constructor, for its kernels to reuse at
 * every step (a convolution's plan and scratch, {@link ConvCode}): a final field each, named
 * clear of the model's values, initialised at the end of the constructor, where {@code batch}
 * is known.
 */
final class PassFields {
  private final UnaryOperator<String> names;
  private final List<FieldSpec> fields = new ArrayList<>();
  private final List<CodeBlock> inits = new ArrayList<>();

  /** @param names gives a field name clear of every other name of the generated classes */
  PassFields(UnaryOperator<String> names) {
    this.names = names;
  }

  /** Declares a field of {@code type} set to {@code init}; returns its name. */
  String add(TypeName type, String wanted, CodeBlock init, CodeBlock javadoc) {
    String name = names.apply(wanted);
    fields.add(FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.FINAL).addJavadoc(javadoc).build());
    inits.add(CodeBlock.of("this.$N = $L", name, init));
    return name;
  }

  /** Adds the fields to the class and their initialisation to the (open) constructor. */
  void addTo(TypeSpec.Builder type, MethodSpec.Builder ctor) {
    fields.forEach(type::addField);
    inits.forEach(ctor::addStatement);
  }
}
