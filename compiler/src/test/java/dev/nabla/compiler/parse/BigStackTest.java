package dev.nabla.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class BigStackTest {
  @Test
  void returnsTheResultOfTheTask() {
    assertThat(BigStack.run(() -> Thread.currentThread().getName())).isEqualTo("nabla-big-stack");
  }

  @Test
  void allowsRecursionFarBeyondTheDefaultStack() {
    assertThat(BigStack.run(() -> depth(1_000_000))).isEqualTo(1_000_000);
  }

  @Test
  void rethrowsUncheckedExceptionsAsTheyAre() {
    IllegalStateException thrown = new IllegalStateException("boom");
    assertThatThrownBy(() -> BigStack.run(() -> {
      throw thrown;
    })).isSameAs(thrown);
    assertThatThrownBy(() -> BigStack.run(() -> {
      throw new AssertionError("bad");
    })).isInstanceOf(AssertionError.class).hasMessage("bad");
  }

  @Test
  void wrapsCheckedExceptions() {
    assertThatThrownBy(() -> BigStack.run(() -> {
      throw new IOException("disk");
    })).isInstanceOf(RuntimeException.class).hasCauseInstanceOf(IOException.class);
  }

  private static int depth(int n) {
    return n == 0 ? 0 : 1 + depth(n - 1);
  }
}
