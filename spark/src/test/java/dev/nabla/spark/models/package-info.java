/**
 * Sample models for the Spark tests, generated in double by the Nabla annotation processor
 * during test compilation, exactly as a user's build makes them: {@code Iris} (softmax
 * classifier), {@code Regression} (linear, squared error) and {@code Digits} (two layers, a
 * weight-decay hyperparameter) from samples/models; {@code Wide} (307,000 params, for the
 * step-cost benchmark) from src/test/models.
 */
@NablaModel(file = "models/iris.nn")
@NablaModel(file = "models/regression.nn")
@NablaModel(file = "models/digits.nn")
@NablaModel(file = "models/wide.nn")
package dev.nabla.spark.models;

import dev.nabla.annotations.NablaModel;
