package dev.nabla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class InitTest {

    @Test
    void rngIsSplitMix64() {
        // the published SplitMix64 reference: seed 0 gives 0xE220A8397B1DCDAF first
        assertThat(new Rng(0).nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        Rng r = new Rng(42);
        assertThat(r.nextLong()).isEqualTo(-4767286540954276203L);
        assertThat(r.nextLong()).isEqualTo(2949826092126892291L);
    }

    /** These numbers are a promise: the same seed gives the same params forever. Never update them. */
    @Test
    void streamsAndInitializersAreFrozen() {
        Rng s = Rng.forStream(7, "W1");
        assertThat(s.nextDouble()).isEqualTo(0.6990373200416444);
        assertThat(s.nextGaussian()).isEqualTo(-0.12769900342840687);
        assertThat(s.nextGaussian()).isEqualTo(-0.5847303112253343);
        NdArray w = NdArray.zeros(DType.F64, 2, 3);
        Init.xavier(w, 1, "W");
        assertThat(w.doubles()).containsExactly(0.32984647594129646, 0.7754230055880489, -0.059924881719583656,
                -0.6349244000458778, 0.36352158606436147, -0.19098758052791498);
        NdArray h = NdArray.zeros(DType.F64, 2, 3);
        Init.he(h, 1, "W");
        assertThat(h.doubles()).containsExactly(0.7193837471827773, -0.9404044829181201, 0.22859653166806612,
                0.8949450948336287, -1.0321952016111993, 0.629621047314584);
    }

    @Test
    void sameSeedAndNameGiveTheSameValuesOtherwiseDifferent() {
        NdArray a = NdArray.zeros(DType.F64, 4, 5);
        NdArray b = NdArray.zeros(DType.F64, 4, 5);
        Init.normal(a, 3, "W", 0, 1);
        Init.normal(b, 3, "W", 0, 1);
        assertThat(a).isEqualTo(b);
        Init.normal(b, 4, "W", 0, 1);
        assertThat(a).isNotEqualTo(b);
        Init.normal(b, 3, "V", 0, 1);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void eachParamHasItsOwnStream() {
        // initialising another param first (or not at all) does not change W2
        NdArray w2a = NdArray.zeros(DType.F64, 3, 3);
        Init.xavier(w2a, 9, "W2");
        NdArray w1 = NdArray.zeros(DType.F64, 50, 50);
        Init.he(w1, 9, "W1");
        NdArray w2b = NdArray.zeros(DType.F64, 3, 3);
        Init.xavier(w2b, 9, "W2");
        assertThat(w2b).isEqualTo(w2a);
    }

    @Test
    void floatArraysGetTheRoundedDoubleValues() {
        NdArray d = NdArray.zeros(DType.F64, 7);
        NdArray f = NdArray.zeros(DType.F32, 7);
        Init.uniform(d, 5, "b", -2, 3);
        Init.uniform(f, 5, "b", -2, 3);
        assertThat(f).isEqualTo(d.asType(DType.F32));
    }

    @Test
    void constantInitializers() {
        NdArray a = NdArray.zeros(DType.F32, 2, 2);
        Init.ones(a);
        assertThat(a.floats()).containsOnly(1f);
        Init.constant(a, -0.5);
        assertThat(a.floats()).containsOnly(-0.5f);
        Init.zeros(a);
        assertThat(a.floats()).containsOnly(0f);
        NdArray s = NdArray.zeros(DType.F64);
        Init.constant(s, 3);
        assertThat(s.get()).isEqualTo(3);
    }

    @Test
    void fans() {
        assertThat(Init.fanIn(new int[] {32, 64})).isEqualTo(64);
        assertThat(Init.fanOut(new int[] {32, 64})).isEqualTo(32);
        assertThat(Init.fanIn(new int[] {10})).isEqualTo(10);
        assertThat(Init.fanOut(new int[] {10})).isEqualTo(10);
        assertThat(Init.fanIn(new int[] {})).isEqualTo(1);
        assertThat(Init.fanOut(new int[] {})).isEqualTo(1);
        assertThat(Init.fanIn(new int[] {8, 3, 5, 5})).isEqualTo(75);
        assertThat(Init.fanOut(new int[] {8, 3, 5, 5})).isEqualTo(200);
        assertThat(Init.fanIn(new int[] {4, 0})).isEqualTo(1);
    }

    @Test
    void distributionsHaveTheDocumentedScale() {
        NdArray w = NdArray.zeros(DType.F64, 200, 300);
        Init.xavier(w, 11, "W");
        double limit = Math.sqrt(6.0 / 500);
        double[] v = w.doubles();
        assertThat(boxed(v)).allSatisfy(x -> assertThat(Math.abs(x)).isLessThan(limit));
        assertThat(std(v)).isCloseTo(limit / Math.sqrt(3), within(0.01 * limit));

        Init.he(w, 11, "W");
        assertThat(mean(w.doubles())).isCloseTo(0, within(0.005));
        assertThat(std(w.doubles())).isCloseTo(Math.sqrt(2.0 / 300), within(0.01 * Math.sqrt(2.0 / 300)));

        Init.normal(w, 11, "W", 5, 2);
        assertThat(mean(w.doubles())).isCloseTo(5, within(0.03));
        assertThat(std(w.doubles())).isCloseTo(2, within(0.03));

        Init.uniform(w, 11, "W", 1, 3);
        assertThat(boxed(w.doubles())).allSatisfy(x -> assertThat(x).isBetween(1.0, 3.0));
        assertThat(mean(w.doubles())).isCloseTo(2, within(0.01));

        NdArray vec = NdArray.zeros(DType.F64, 12);
        Init.xavier(vec, 1, "b");
        assertThat(boxed(vec.doubles())).allSatisfy(x -> assertThat(Math.abs(x)).isLessThan(Math.sqrt(6.0 / 24)));
    }

    @Test
    void badArgumentsAreClearErrors() {
        NdArray a = NdArray.zeros(DType.F64, 2);
        assertThatThrownBy(() -> Init.uniform(a, 1, "b", 3, 1)).hasMessageContaining("uniform(3.0, 1.0) for 'b'");
        assertThatThrownBy(() -> Init.normal(a, 1, "b", 0, -1)).hasMessageContaining("std >= 0");
        assertThatThrownBy(() -> new Rng(1).nextInt(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nextIntIsInRange() {
        Rng r = new Rng(3);
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            counts[r.nextInt(3)]++;
        }
        assertThat(java.util.stream.IntStream.of(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(900, 1100));
    }

    /** AssertJ's primitive-array assertions have no allSatisfy; the boxed list has. */
    private static java.util.List<Double> boxed(double[] v) {
        return java.util.stream.DoubleStream.of(v).boxed().toList();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
