/**
 * Datasets and the readers behind them: the {@link dev.thinj.train.data.Dataset} contract every
 * {@code datasets} function of a config returns, the registered functions themselves
 * ({@link dev.thinj.train.data.DataFunctions}: {@code fashion_mnist.v1}, {@code idx.v1},
 * {@code csv.v1}, {@code npy.v1}, {@code npz.v1}), the IDX format of MNIST and Fashion-MNIST
 * ({@link dev.thinj.train.data.Idx}, {@link dev.thinj.train.data.IdxDirectory}), the embedded
 * Fashion-MNIST subset ({@link dev.thinj.train.data.FashionMnist}), and
 * {@link dev.thinj.train.data.FeatureRows}, the streamed input of {@code thinj predict}. CSV and
 * NumPy readers live in the {@code csv} and {@code numpy} subpackages.
 *
 * <p>Everything here returns host arrays ({@code float[]}, {@code int[]}) rather than arrays of an
 * {@link dev.thinj.ops.Ops}: a dataset is usually resolved from a config before the training loop
 * has chosen its backend, and host arrays can be copied to whichever one it picks. Bad files raise
 * {@link dev.thinj.train.data.DataException} naming the file and what was wrong (for text, the
 * 1-based line and the column).
 */
package dev.thinj.train.data;
