/**
 * Training compiled models: optimizers ({@link dev.nabla.runtime.train.Optimizer}: SGD,
 * momentum, Adam, optional clipping by global norm), the epoch loop
 * ({@link dev.nabla.runtime.train.Trainer}) and the measures it reports
 * ({@link dev.nabla.runtime.train.Scorer}: loss, accuracy, R²).
 */
package dev.nabla.runtime.train;
