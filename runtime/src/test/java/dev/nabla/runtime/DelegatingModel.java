package dev.nabla.runtime;

import java.util.List;

/** A model that forwards every call, for tests that change one answer. */
class DelegatingModel implements Model {
  private final Model m;

  DelegatingModel(Model m) {
    this.m = m;
  }

  @Override
  public String name() {
    return m.name();
  }

  @Override
  public DType dtype() {
    return m.dtype();
  }

  @Override
  public List<TensorSpec> params() {
    return m.params();
  }

  @Override
  public List<TensorSpec> inputs() {
    return m.inputs();
  }

  @Override
  public List<TensorSpec> targets() {
    return m.targets();
  }

  @Override
  public List<TensorSpec> outputs() {
    return m.outputs();
  }

  @Override
  public List<String> gradInputs() {
    return m.gradInputs();
  }

  @Override
  public List<String> hyperNames() {
    return m.hyperNames();
  }

  @Override
  public double hyper(String name) {
    return m.hyper(name);
  }

  @Override
  public void setHyper(String name, double value) {
    m.setHyper(name, value);
  }

  @Override
  public NdArray param(String name) {
    return m.param(name);
  }

  @Override
  public void initialize(long seed) {
    m.initialize(seed);
  }

  @Override
  public ModelRun newRun(int batchSize) {
    return m.newRun(batchSize);
  }
}
