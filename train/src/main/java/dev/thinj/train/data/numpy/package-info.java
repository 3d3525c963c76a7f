/**
 * NumPy arrays as datasets ({@code npy.v1}, {@code npz.v1}) and as streamed input to
 * {@code thinj predict}, read by hand: {@link dev.thinj.train.data.numpy.NpyHeader} parses the
 * {@code .npy} header (format 1.0 to 3.0), {@link dev.thinj.train.data.numpy.NpyDtype} converts the
 * numeric dtypes of either byte order to float32, {@link dev.thinj.train.data.numpy.NpyReader}
 * reads a whole array (Fortran order transposed to C order),
 * {@link dev.thinj.train.data.numpy.NpzReader} the arrays of a {@code .npz} archive,
 * {@link dev.thinj.train.data.numpy.NumpyDataset} assembles the splits, and
 * {@link dev.thinj.train.data.numpy.NpyFeatureRows} streams a file's rows by position.
 */
package dev.thinj.train.data.numpy;
