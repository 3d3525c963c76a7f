/**
 * Losses returning the gradient and the loss, with Thinc 8.1.7's definitions and quirks.
 *
 * <p>A {@link dev.thinj.model.losses.Loss} maps guesses and truths to a
 * {@link dev.thinj.model.losses.LossResult}: the gradient with respect to the guesses, to pass to the
 * model's backprop, and the loss as a one-element backend array that is read only when asked for.
 * The arithmetic runs on the guesses' backend.
 *
 * <ul>
 *   <li>{@link dev.thinj.model.losses.CategoricalCrossentropy}: probabilities against class indices,
 *       one-hot targets or names ({@link dev.thinj.model.losses.Truths}), with missing values,
 *       negated labels and label smoothing.
 *   <li>{@link dev.thinj.model.losses.SequenceCategoricalCrossentropy}: the same over a list of
 *       sequences, normalised by the number of sequences.
 *   <li>{@link dev.thinj.model.losses.L2Distance} and {@link dev.thinj.model.losses.CosineDistance}:
 *       regression against float targets.
 * </ul>
 *
 * <p>As in Thinc, the "loss" of the categorical and L2 losses is the sum of squares of their
 * (normalised) gradient, a number to watch fall rather than a cross-entropy or mean squared error;
 * each class says so. Bad input raises {@link dev.thinj.ops.ShapeException} (shapes) or
 * {@link dev.thinj.model.losses.LossException} (values, labels, options), naming the loss. Every
 * number and error is checked against Thinc by the tests' {@code thinc_losses.json}, whose generator
 * also records where thinj deliberately differs.
 */
package dev.thinj.model.losses;
