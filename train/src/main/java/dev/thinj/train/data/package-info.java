/**
 * Data readers for the command line and for configs: the IDX format of MNIST and Fashion-MNIST
 * ({@link dev.thinj.train.data.Idx}), Fashion-MNIST splits from a directory or from the subset
 * embedded in this jar ({@link dev.thinj.train.data.FashionMnist}), and the {@code datasets} registry
 * entry {@code fashion_mnist.v1} ({@link dev.thinj.train.data.DataFunctions}).
 *
 * <p>Everything here returns host arrays ({@code float[]}, {@code int[]}) rather than arrays of an
 * {@link dev.thinj.ops.Ops}: a dataset is usually resolved from a config before the training loop
 * has chosen its backend, and host arrays can be copied to whichever one it picks. Bad files raise
 * {@link dev.thinj.train.data.DataException} naming the file and what was wrong.
 */
package dev.thinj.train.data;
