package com.example;

import com.example.ml.Xor;
import com.example.ml.XorForward;

/** Uses the generated classes, so that compiling it proves they are on the source path. */
public final class App {
  private App() {}

  public static void main(String[] args) {
    Xor model = new Xor();
    model.initialize(1);
    XorForward run = model.newRun(1);
    System.out.println(run.forward());
  }
}
