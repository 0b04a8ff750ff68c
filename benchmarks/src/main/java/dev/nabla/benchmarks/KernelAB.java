package dev.nabla.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KernelRounds}' cases against two builds of the runtime in one JVM, in alternating
 * rounds: each build's classes are loaded by a class loader of their own (with this jar's
 * benchmark classes after them), so both run under the same load, JIT and heap. For a change to
 * the kernels, build the runtime before and after it and compare:
 *
 * <pre>
 * git archive BASE | tar -x -C /tmp/base &amp;&amp; (cd /tmp/base &amp;&amp; mvn -q -o -pl runtime compile)
 * java --add-modules jdk.incubator.vector [-Dnabla.threads=1] [-Dkernelrounds.clock=wall] \\
 *     -cp benchmarks/target/benchmarks.jar dev.nabla.benchmarks.KernelAB \\
 *     /tmp/base/runtime/target/classes runtime/target/classes step [ROUNDS] [B]
 * </pre>
 *
 * Prints, per case, each build's median and quartiles and the ratio of the medians (B / A: below
 * 1 means B is faster). Timing is the calling thread's CPU time, or the wall clock with
 * {@code -Dkernelrounds.clock=wall} (for products split across two threads).
 */
public final class KernelAB {
  private static final long ROUND_NANOS = 300_000_000L;

  private KernelAB() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: KernelAB RUNTIME_CLASSES_A RUNTIME_CLASSES_B layouts|fused|step|conv|activations [ROUNDS] [B]");
      System.exit(2);
    }
    String which = args[2];
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 11;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 256;
    URL self = KernelAB.class.getProtectionDomain().getCodeSource().getLocation();
    List<Map<String, Map.Entry<Double, Runnable>>> builds = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      URL runtime = Path.of(args[i]).toUri().toURL();
      ClassLoader loader = new URLClassLoader(new URL[] {runtime, self}, ClassLoader.getPlatformClassLoader());
      @SuppressWarnings("unchecked")
      Map<String, Map.Entry<Double, Runnable>> cases = (Map<String, Map.Entry<Double, Runnable>>)
          loader.loadClass(KernelRounds.class.getName()).getMethod("cases", String.class, int.class)
              .invoke(null, which, batch);
      builds.add(cases);
    }
    boolean wall = "wall".equals(System.getProperty("kernelrounds.clock"));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<List<Double>>> times = new LinkedHashMap<>();
    for (String name : builds.get(0).keySet()) {
      times.put(name, List.of(new ArrayList<>(), new ArrayList<>()));
    }
    for (int round = -3; round < rounds; round++) { // 3 rounds of warm-up
      for (String name : times.keySet()) {
        for (int i = 0; i < 2; i++) {
          int build = (round & 1) == 0 ? i : 1 - i; // which build goes first alternates
          Runnable r = builds.get(build).get(name).getValue();
          long start = wall ? System.nanoTime() : threads.getCurrentThreadCpuTime();
          long now;
          int calls = 0;
          do {
            r.run();
            calls++;
            now = wall ? System.nanoTime() : threads.getCurrentThreadCpuTime();
          } while (now - start < ROUND_NANOS);
          if (round >= 0) {
            times.get(name).get(build).add((now - start) / (double) calls);
          }
        }
      }
    }
    System.out.printf("%-26s %28s %28s %7s%n", "case", "A: median us (quartiles)", "B: median us (quartiles)", "B / A");
    for (Map.Entry<String, List<List<Double>>> t : times.entrySet()) {
      double[] median = new double[2];
      StringBuilder line = new StringBuilder(String.format("%-26s", t.getKey()));
      for (int i = 0; i < 2; i++) {
        List<Double> l = t.getValue().get(i);
        Collections.sort(l);
        median[i] = l.get(l.size() / 2);
        double gflops = builds.get(i).get(t.getKey()).getKey() / median[i];
        line.append(String.format(" %9.1f (%7.1f, %7.1f) %4.0f", median[i] / 1e3, l.get(l.size() / 4) / 1e3,
            l.get(3 * l.size() / 4) / 1e3, gflops));
      }
      line.append(String.format(" %7.3f", median[1] / median[0]));
      System.out.println(line);
    }
  }
}
