/**
 * Sample models for the Spark tests, generated in double by the Nabla annotation processor
 * during test compilation, exactly as a user's build makes them: {@code Iris} (softmax
 * classifier) and {@code Regression} (linear, squared error).
 */
@NablaModel(file = "models/iris.nn")
@NablaModel(file = "models/regression.nn")
package dev.nabla.spark.models;

import dev.nabla.annotations.NablaModel;
