/**
 * Reading data sets for training and prediction: CSV (plain or gzipped, with or without a
 * header, comma or whitespace separated), IDX image/label pairs (MNIST, Fashion-MNIST),
 * seeded shuffling and splitting, and feature standardisation.
 *
 * <p>Every reader checks what it reads against a {@link dev.nabla.runtime.data.Layout} (the
 * widths a model's inputs and targets need) and reports a bad row as a
 * {@link dev.nabla.runtime.NablaDataException} whose message starts with {@code FILE:LINE:}.
 * Nothing is skipped silently: the only lines that are not rows are blank lines, lines whose
 * first non-blank character is {@code #}, and a header (the first line, when one of its fields
 * is text); a reader reports the header it skipped in {@link dev.nabla.runtime.data.Dataset#header()}.
 * Memory is bounded by {@link dev.nabla.runtime.data.DataLimits}.
 */
package dev.nabla.runtime.data;
