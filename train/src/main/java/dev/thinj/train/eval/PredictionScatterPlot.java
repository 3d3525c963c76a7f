package dev.thinj.train.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * Draws a regression's predicted values against the true ones as a scatter PNG
 * ({@value #WIDTH}×{@value #HEIGHT}), with JFreeChart, headless, and the line y = x where a perfect
 * model's points would lie. With up to {@value #MAX_SERIES} outputs each is its own series; with more,
 * only the first is drawn. At most {@value #MAX_POINTS} points are drawn in all: larger inputs are
 * thinned to evenly spaced rows, the same ones on every run.
 */
public final class PredictionScatterPlot {
    /** Image width in pixels. */
    static final int WIDTH = 800;
    /** Image height in pixels. */
    static final int HEIGHT = 800;
    /** The most points drawn, over all series. */
    static final int MAX_POINTS = 10_000;
    /** Up to this many outputs are drawn as series; beyond, only the first. */
    static final int MAX_SERIES = 5;
    private static final Color[] COLOURS = {new Color(0x2471A3), new Color(0xC0392B), new Color(0x229954),
        new Color(0x7D3C98), new Color(0xD68910)};

    private PredictionScatterPlot() {
    }

    /**
     * @param truth the true values, row-major {@code rows × width} (not modified)
     * @param predicted the predictions, the same shape (not modified)
     * @param width the outputs per row
     * @param png the file to write (replaced atomically)
     * @throws IllegalArgumentException if the arrays do not fit {@code width} or hold NaN or infinity
     * @throws OutputFileException naming {@code png} if it cannot be written (nothing is left behind)
     */
    public static void write(float[] truth, float[] predicted, int width, Path png) {
        int count = RegressionReport.check(truth, predicted, width);
        System.setProperty("java.awt.headless", "true");
        int series = width <= MAX_SERIES ? width : 1;
        int[] rows = sampleRows(count, MAX_POINTS / series);
        DefaultXYDataset data = new DefaultXYDataset();
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < series; j++) {
            double[][] xy = new double[2][rows.length];
            for (int i = 0; i < rows.length; i++) {
                xy[0][i] = truth[rows[i] * width + j];
                xy[1][i] = predicted[rows[i] * width + j];
                low = Math.min(low, Math.min(xy[0][i], xy[1][i]));
                high = Math.max(high, Math.max(xy[0][i], xy[1][i]));
            }
            data.addSeries(width == 1 ? "prediction" : "output " + j, xy);
        }
        // The same range on both axes, so that y = x is the diagonal and misses read as distances.
        double pad = high > low ? (high - low) * 0.04 : Math.max(1, Math.abs(low) * 0.04);
        NumberAxis x = new NumberAxis("true value");
        NumberAxis y = new NumberAxis("predicted value");
        x.setRange(low - pad, high + pad);
        y.setRange(low - pad, high + pad);
        XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
        for (int j = 0; j < series; j++) {
            Color c = COLOURS[j % COLOURS.length];
            points.setSeriesPaint(j, new Color(c.getRed(), c.getGreen(), c.getBlue(), 140));
            points.setSeriesShape(j, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        XYPlot plot = new XYPlot(data, x, y, points);
        plot.addAnnotation(new XYLineAnnotation(low - pad, low - pad, high + pad, high + pad,
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f),
                Color.DARK_GRAY));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("Predicted vs true", JFreeChart.DEFAULT_TITLE_FONT, plot, series > 1);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(subtitle(count, rows.length, width)));
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(bytes, chart, WIDTH, HEIGHT);
            OutputFiles.write(png, bytes.toByteArray(), "prediction scatter plot");
        } catch (IOException e) {
            throw OutputFiles.failure(png, "prediction scatter plot", e);
        }
    }

    private static String subtitle(int count, int shown, int width) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d rows", count));
        if (shown < count) {
            s.append(String.format(Locale.ROOT, ", %,d rows shown", shown));
        }
        if (width > MAX_SERIES) {
            s.append(String.format(Locale.ROOT, "; output 0 of %d", width));
        }
        return s.append("; dashed: y = x").toString();
    }

    /**
     * @param count how many rows there are
     * @param max the most rows to keep, at least 1
     * @return every row if {@code count <= max}, else {@code max} evenly spaced rows, ascending, from row 0
     */
    static int[] sampleRows(int count, int max) {
        int n = Math.min(count, max);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = (int) ((long) i * count / n);
        }
        return rows;
    }
}
