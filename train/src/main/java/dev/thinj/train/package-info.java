/**
 * The training loop behind {@code thinj train}, usable without the command line (the Spark module
 * runs it too): a config resolved into a {@link dev.thinj.train.TrainingPlan} and run by the
 * {@link dev.thinj.train.Trainer} (Thinc's loop over {@code ops.multibatch}, a scope per step,
 * evaluation after each epoch), with {@link dev.thinj.train.Checkpoints} that resume bit for bit and
 * {@link dev.thinj.train.TrainedModel} to load a run's result. Datasets are in
 * {@code dev.thinj.train.data}, reports (metrics log, plot, progress bar) in
 * {@code dev.thinj.train.report}.
 */
package dev.thinj.train;
