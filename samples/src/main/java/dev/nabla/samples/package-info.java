/**
 * The sample models, generated during javac by the Nabla annotation processor from
 * the {@code .nn} files in {@code samples/models} (float precision): for each model {@code M}, the classes
 * {@code M}, {@code MForward} and {@code MBackward}. {@link dev.nabla.samples.TrainXor} trains
 * one of them; {@link dev.nabla.samples.CharLmWords} measures and samples the character language
 * model ({@code large/charlm.nn}) on the words {@link dev.nabla.samples.Words} prepares.
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
@NablaModel(file = "models/lenet.nn")
@NablaModel(file = "models/lstm.nn")
@NablaModel(file = "large/charlm.nn")
package dev.nabla.samples;

import dev.nabla.annotations.NablaModel;
