package dev.nabla.compiler.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Where a message about one {@code @NablaModel} goes: the annotated element, the annotation and
 * the member ({@code value} or {@code file}) the message is about.
 *
 * <p>javac's {@link Messager} finds an annotation written on the element, but not one of several
 * repeated {@code @NablaModel}s: those live inside a {@code @NablaModels} container that javac
 * made up and that has no place in the source. For those the annotation is found in the source
 * tree by its position among the element's {@code @NablaModel}s, and the message is printed there
 * through javac's {@link Trees}; without javac's trees it goes on the element.
 *
 * @param repeatIndex the position among repeated annotations, or -1 for a single annotation
 * @param member the member the message is about; null for the whole annotation
 */
record Place(Element element, AnnotationMirror mirror, int repeatIndex, String member, AnnotationValue value) {
  /** The same annotation, about {@code member} (null: the whole annotation). */
  Place about(String member, AnnotationValue value) {
    return new Place(element, mirror, repeatIndex, member, value);
  }

  void print(Diagnostic.Kind kind, String message, Messager messager, Trees trees, TypeElement annotation) {
    if (repeatIndex >= 0 && trees != null && printInTree(kind, message, trees, annotation)) {
      return;
    }
    if (value != null) {
      messager.printMessage(kind, message, element, mirror, value);
    } else {
      messager.printMessage(kind, message, element, mirror);
    }
  }

  private boolean printInTree(Diagnostic.Kind kind, String message, Trees trees, TypeElement annotation) {
    try {
      TreePath path = trees.getPath(element);
      if (path == null) {
        return false;
      }
      CompilationUnitTree unit = path.getCompilationUnit();
      List<? extends AnnotationTree> annotations;
      if (element instanceof PackageElement) {
        annotations = unit.getPackageAnnotations();
      } else if (path.getLeaf() instanceof ClassTree c) {
        annotations = c.getModifiers().getAnnotations();
      } else {
        return false;
      }
      int seen = 0;
      for (AnnotationTree a : annotations) {
        Element type = trees.getElement(TreePath.getPath(unit, a.getAnnotationType()));
        if (!annotation.equals(type)) {
          continue;
        }
        if (seen++ == repeatIndex) {
          trees.printMessage(kind, message, argument(a), unit);
          return true;
        }
      }
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The expression of {@link #member} in {@code a}, or {@code a} itself. */
  private Tree argument(AnnotationTree a) {
    if (member == null) {
      return a;
    }
    for (ExpressionTree arg : a.getArguments()) {
      if (arg instanceof AssignmentTree assign) {
        if (assign.getVariable() instanceof IdentifierTree id && id.getName().contentEquals(member)) {
          return assign.getExpression();
        }
      } else if (member.equals("value")) {
        return arg;
      }
    }
    return a;
  }
}
