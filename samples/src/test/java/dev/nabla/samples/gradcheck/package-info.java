/**
 * The sample models again, in double precision ({@code -Anabla.precision=double} for the test
 * sources), each with a gradient-check test that the processor writes
 * ({@code -Anabla.emitTests=true}): {@code <Model>GradientCheckTest}.
 */
@NablaModel(file = "models/logistic.nn")
@NablaModel(file = "models/xor.nn")
@NablaModel(file = "models/digits.nn")
@NablaModel(file = "models/regression.nn")
@NablaModel(file = "models/binary.nn")
@NablaModel(file = "models/svm.nn")
@NablaModel(file = "models/gate.nn")
@NablaModel(file = "models/maxpool.nn")
@NablaModel(file = "models/smoothing.nn")
@NablaModel(file = "models/attention.nn")
package dev.nabla.samples.gradcheck;

import dev.nabla.annotations.NablaModel;
