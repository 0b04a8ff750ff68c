package dev.nabla.compiler.random;

import dev.nabla.compiler.random.RandomModel.Decl;
import dev.nabla.compiler.random.RandomModel.E;
import dev.nabla.compiler.random.RandomModel.Stmt;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Shrinks a failing random model to a small one that still fails the same way: greedily
 * replaces subexpressions by their own parts of the same shape (and domain), drops terms of the
 * loss, statements and outputs nothing uses, and declarations and defs nothing mentions, until no
 * step helps (or the step budget is spent).
 */
final class Shrinker {
  private final Predicate<String> fails;
  private int budget;

  Shrinker(Predicate<String> fails, int budget) {
    this.fails = fails;
    this.budget = budget;
  }

  RandomModel shrink(RandomModel model) {
    RandomModel best = model;
    boolean progress = true;
    while (progress && budget > 0) {
      progress = false;
      for (RandomModel candidate : candidates(best)) {
        if (budget-- <= 0) {
          break;
        }
        if (candidate.render().length() < best.render().length() && fails.test(candidate.render())) {
          best = candidate;
          progress = true;
          break;
        }
      }
    }
    return best;
  }

  /** Smaller variants of {@code m}, the biggest cuts first. */
  private static List<RandomModel> candidates(RandomModel m) {
    List<RandomModel> out = new ArrayList<>();
    // Drop a statement (not the loss) that nothing else mentions; keep one output.
    long outputs = m.stmts.stream().filter(s -> s.prefix().startsWith("output")).count();
    for (Stmt st : m.stmts) {
      boolean loss = st.prefix().startsWith("loss");
      boolean lastOutput = st.prefix().startsWith("output") && outputs == 1;
      if (!loss && !lastOutput && !mentioned(m, st.name(), st)) {
        RandomModel c = copy(m);
        c.stmts.remove(st);
        out.add(c);
      }
    }
    // Replace a subexpression by a part of it with the same shape and a domain at least as strict.
    for (int i = 0; i < m.stmts.size(); i++) {
      Stmt st = m.stmts.get(i);
      for (E node : nodes(st.value())) {
        for (E part : nodes(node)) {
          if (part != node && java.util.Arrays.equals(part.shape(), node.shape()) && part.domain().satisfies(node.domain())) {
            out.add(replaced(m, i, node, part));
          }
        }
      }
    }
    // Drop a declaration or a def nothing mentions.
    for (Decl d : m.decls) {
      if (!mentioned(m, d.name(), null) && !d.kind().equals("target")) {
        RandomModel c = copy(m);
        c.decls.remove(d);
        out.add(c);
      }
    }
    for (String def : m.defs) {
      String name = def.substring(4, def.indexOf('('));
      if (m.stmts.stream().noneMatch(s -> s.render().contains(name + "("))) {
        RandomModel c = copy(m);
        c.defs.remove(def);
        out.add(c);
      }
    }
    return out;
  }

  private static boolean mentioned(RandomModel m, String name, Stmt except) {
    Pattern word = Pattern.compile("\\b" + Pattern.quote(name) + "\\b");
    for (Stmt s : m.stmts) {
      if (s != except && word.matcher(s.value().render()).find()) {
        return true;
      }
    }
    return false;
  }

  private static RandomModel copy(RandomModel m) {
    return m.map(e -> e);
  }

  private static RandomModel replaced(RandomModel m, int statement, E target, E with) {
    RandomModel c = copy(m);
    Stmt st = c.stmts.get(statement);
    c.stmts.set(statement, new Stmt(st.prefix(), st.name(), replace(st.value(), target, with, new IdentityHashMap<>())));
    return c;
  }

  private static E replace(E e, E target, E with, Map<E, E> done) {
    if (e == target) {
      return with;
    }
    E seen = done.get(e);
    if (seen != null) {
      return seen;
    }
    List<E> kids = new ArrayList<>();
    for (E k : e.kids()) {
      kids.add(replace(k, target, with, done));
    }
    E result = new E(e.format(), kids, e.shape(), e.domain());
    done.put(e, result);
    return result;
  }

  /** Every node of a tree, each once, parents before children. */
  private static List<E> nodes(E root) {
    List<E> all = new ArrayList<>();
    Map<E, Boolean> seen = new IdentityHashMap<>();
    List<E> stack = new ArrayList<>(List.of(root));
    while (!stack.isEmpty()) {
      E e = stack.removeFirst();
      if (seen.put(e, true) == null) {
        all.add(e);
        stack.addAll(e.kids());
      }
    }
    return all;
  }
}
