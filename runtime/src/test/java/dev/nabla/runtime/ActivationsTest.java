package dev.nabla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ActivationsTest {

    @Test
    void sigmoidIsStableAndAccurate() {
        assertThat(Activations.sigmoid(0.0)).isEqualTo(0.5);
        assertThat(Activations.sigmoid(2.0)).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-16));
        assertThat(Activations.sigmoid(-2.0)).isCloseTo(1 / (1 + Math.exp(2)), within(1e-16));
        assertThat(Activations.sigmoid(1000.0)).isEqualTo(1.0);
        assertThat(Activations.sigmoid(-1000.0)).isEqualTo(0.0);
        // tiny values keep full relative precision instead of rounding 1 + e
        assertThat(Activations.sigmoid(-700.0)).isCloseTo(Math.exp(-700), within(1e-310));
        assertThat(Activations.sigmoid(-30.0) / Math.exp(-30)).isCloseTo(1, within(1e-12));
        assertThat(Activations.sigmoid(3f)).isCloseTo((float) (1 / (1 + Math.exp(-3))), within(1e-7f));
        assertThat(Activations.sigmoid(-200f)).isEqualTo(0f);
    }

    @Test
    void softplusIsStableAndAccurate() {
        assertThat(Activations.softplus(0.0)).isEqualTo(Math.log(2));
        assertThat(Activations.softplus(1.5)).isCloseTo(Math.log1p(Math.exp(1.5)), within(1e-15));
        assertThat(Activations.softplus(1000.0)).isEqualTo(1000.0);
        assertThat(Activations.softplus(-1000.0)).isEqualTo(0.0);
        assertThat(Activations.softplus(-40.0) / Math.exp(-40)).isCloseTo(1, within(1e-12));
        assertThat(Activations.softplus(100f)).isEqualTo(100f);
        assertThat(Activations.softplus(-2f)).isCloseTo((float) Math.log1p(Math.exp(-2)), within(1e-7f));
    }

    @Test
    void logSigmoidIsMinusSoftplusOfMinus() {
        assertThat(Activations.logSigmoid(-1000.0)).isEqualTo(-1000.0);
        assertThat(Activations.logSigmoid(2.0)).isCloseTo(Math.log(Activations.sigmoid(2.0)), within(1e-15));
        assertThat(Activations.logSigmoid(0f)).isCloseTo((float) -Math.log(2), within(1e-7f));
    }
}
