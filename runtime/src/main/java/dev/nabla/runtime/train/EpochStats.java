package dev.nabla.runtime.train;

/**
 * What one epoch achieved.
 *
 * @param epoch counted from 1
 * @param trainLoss the mean training loss over the epoch's steps, each measured before its update
 * @param trainMetric the training accuracy measured the same way (classifiers; NaN otherwise)
 * @param testLoss the mean loss on the test data after the epoch (NaN without test data)
 * @param testMetric accuracy or R² on the test data after the epoch (NaN without)
 * @param best whether this epoch has the lowest training loss so far (its params are kept)
 */
public record EpochStats(int epoch, double trainLoss, double trainMetric, double testLoss, double testMetric,
    boolean best) {}
