package dev.thinj.train.data.csv;

/**
 * One CSV file read whole: its layout, its feature rows and its labels, either as provisional
 * codes of its {@link LabelEncoder} (classification) or as regression values.
 *
 * @param source the file
 * @param layout its columns
 * @param count the number of rows
 * @param features {@code count * layout.width()} values, row-major
 * @param codes per row, the provisional code of its label in {@code labels} (classification), or null
 * @param labels the distinct labels (classification), or null
 * @param targets per row, its regression value, or null
 */
record CsvTable(String source, ColumnLayout layout, int count, float[] features, int[] codes, LabelEncoder labels,
        float[] targets) {
    /** @return whether the labels are class names */
    boolean classified() {
        return codes != null;
    }
}
