/**
 * {@code thinj train}: a config resolved into a {@link dev.thinj.cli.train.TrainingPlan} and run by
 * the {@link dev.thinj.cli.train.Trainer}, with checkpoints that resume bit for bit.
 */
package dev.thinj.cli.train;
