/**
 * CSV tables as datasets ({@code csv.v1}) and as streamed input to {@code thinj predict}, read with
 * FastCSV: {@link dev.thinj.train.data.csv.CsvColumns} says which columns are the features and the
 * label, {@link dev.thinj.train.data.csv.CsvDataset} reads a training file (and a test file, or holds
 * out a seeded share), {@link dev.thinj.train.data.csv.LabelEncoder} turns label strings into
 * classes in an order that does not depend on the rows' order, and
 * {@link dev.thinj.train.data.csv.CsvFeatureRows} streams a file's feature rows in bounded memory.
 *
 * <p>Values are parsed from FastCSV's character buffer straight into float arrays (no String per
 * field, no list per row). Gzipped files are read transparently. Every bad value, ragged row or
 * missing column is a {@link dev.thinj.train.data.DataException} naming the file, the 1-based line
 * (as an editor shows it) and the column.
 */
package dev.thinj.train.data.csv;
