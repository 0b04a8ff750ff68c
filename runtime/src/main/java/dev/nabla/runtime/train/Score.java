package dev.nabla.runtime.train;

/**
 * A model measured on a data set.
 *
 * @param loss the mean loss per instance (NaN when the data has no targets)
 * @param metric accuracy for a classifier, R² for a regression, NaN otherwise
 * @param rows the number of instances measured
 */
public record Score(double loss, double metric, int rows) {}
