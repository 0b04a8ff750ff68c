package dev.nabla.spark;

import java.io.Serializable;

/**
 * Which step a task computes: step {@code step} (from 0) of {@code steps} in epoch {@code epoch}
 * (from 1), with the run's {@code seed}. It travels in the task's closure, which Spark always
 * writes with Java serialization, so it may be a record (blocks, broadcasts and results go
 * through the configured serializer, possibly Kryo, which cannot build records).
 */
record Schedule(int epoch, int step, int steps, long seed) implements Serializable {}
