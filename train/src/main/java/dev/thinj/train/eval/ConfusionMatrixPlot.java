package dev.thinj.train.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Draws a confusion matrix as a labelled heat map PNG, with JFreeChart, headless: true classes down
 * the rows (the first at the top), predicted classes across the columns, the count written in each
 * cell, and each cell coloured by its share of its row (so a rare class's mistakes show as clearly
 * as a common one's). With more than {@value #ALL_COUNTS_UP_TO} classes, zero counts are left blank to
 * keep the picture readable. The image grows with the number of classes (see {@link #size}); names
 * longer than {@value #LABEL_CHARS} characters are shortened on the axes.
 */
public final class ConfusionMatrixPlot {
    /** Up to this many classes every cell shows its count, zeros included. */
    static final int ALL_COUNTS_UP_TO = 20;
    /** Axis labels longer than this are cut, with "...". */
    static final int LABEL_CHARS = 24;
    private static final Color EMPTY = Color.WHITE;
    private static final Color FULL = new Color(0x08306B);

    private ConfusionMatrixPlot() {
    }

    /**
     * @param report the report whose matrix to draw
     * @param png the file to write (replaced atomically)
     * @throws OutputFileException naming {@code png} if it cannot be written (nothing is left behind)
     */
    public static void write(ClassificationReport report, Path png) {
        System.setProperty("java.awt.headless", "true");
        int[][] confusion = report.confusion();
        int k = confusion.length;
        int[] size = size(report);
        double cellPx = (double) plotSide(k) / k;
        String[] labels = labels(report.classNames());
        DefaultXYZDataset data = new DefaultXYZDataset();
        double[][] cells = new double[3][k * k];
        XYBlockRenderer renderer = new XYBlockRenderer();
        ShareScale scale = new ShareScale();
        renderer.setPaintScale(scale);
        Font countFont = new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.max(9, Math.min(16, cellPx / 2.6)));
        for (int t = 0; t < k; t++) {
            long rowSum = 0;
            for (int v : confusion[t]) {
                rowSum += v;
            }
            for (int p = 0; p < k; p++) {
                double share = rowSum == 0 ? 0 : (double) confusion[t][p] / rowSum;
                int i = t * k + p;
                cells[0][i] = p;
                cells[1][i] = t;
                cells[2][i] = share;
                if (confusion[t][p] != 0 || k <= ALL_COUNTS_UP_TO) {
                    XYTextAnnotation count = new XYTextAnnotation(Integer.toString(confusion[t][p]), p, t);
                    count.setFont(countFont);
                    count.setPaint(share > 0.5 ? Color.WHITE : Color.BLACK);
                    renderer.addAnnotation(count);
                }
            }
        }
        data.addSeries("confusion", cells);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, k > 30 ? 10 : 12);
        SymbolAxis predicted = axis("predicted", labels, labelFont);
        predicted.setVerticalTickLabels(true);
        SymbolAxis truth = axis("true", labels, labelFont);
        truth.setInverted(true);  // the first class at the top, as a matrix is read
        XYPlot plot = new XYPlot(data, predicted, truth, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlinePaint(Color.GRAY);
        String title = String.format(Locale.ROOT, "Confusion matrix: %d samples, accuracy %.4f, macro F1 %.4f",
                report.count(), report.accuracy(), report.macroF1());
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis shareAxis = new NumberAxis("share of the true class");
        shareAxis.setRange(0, 1);
        shareAxis.setTickUnit(new NumberTickUnit(0.1));
        PaintScaleLegend legend = new PaintScaleLegend(scale, shareAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 12, 4, 4);
        legend.setStripWidth(14);
        chart.addSubtitle(legend);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(bytes, chart, size[0], size[1]);
            OutputFiles.write(png, bytes.toByteArray(), "confusion matrix plot");
        } catch (IOException e) {
            throw OutputFiles.failure(png, "confusion matrix plot", e);
        }
    }

    private static SymbolAxis axis(String title, String[] labels, Font font) {
        SymbolAxis axis = new SymbolAxis(title, labels);
        axis.setGridBandsVisible(false);
        axis.setTickLabelFont(font);
        // Every class gets its label: automatic tick selection would skip some once they crowd.
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setRange(-0.5, labels.length - 0.5);
        return axis;
    }

    private static String[] labels(List<String> names) {
        String[] labels = new String[names.size()];
        for (int i = 0; i < labels.length; i++) {
            String name = names.get(i);
            labels[i] = name.length() <= LABEL_CHARS ? name : name.substring(0, LABEL_CHARS - 3) + "...";
        }
        return labels;
    }

    /** @return pixels for the matrix itself: 32 per class, within [360, 1600] */
    private static int plotSide(int classes) {
        return Math.max(360, Math.min(1600, 32 * classes));
    }

    /**
     * The image's size: the matrix (32 pixels per class, at least 360 and at most 1600), room for the
     * longest (shortened) class name on both axes, the title, axis titles and the colour legend.
     *
     * @param report the report to draw
     * @return {@code {width, height}} in pixels
     */
    static int[] size(ClassificationReport report) {
        int longest = 1;
        for (String name : report.classNames()) {
            longest = Math.max(longest, Math.min(name.length(), LABEL_CHARS));
        }
        int labelPx = 7 * longest + 12;
        int side = plotSide(report.classNames().size());
        return new int[] {side + labelPx + 150, side + labelPx + 110};
    }

    /** White for a share of 0 to dark blue for 1. */
    private static final class ShareScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double s = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
            return new Color(mix(EMPTY.getRed(), FULL.getRed(), s), mix(EMPTY.getGreen(), FULL.getGreen(), s),
                    mix(EMPTY.getBlue(), FULL.getBlue(), s));
        }

        private static int mix(int from, int to, double s) {
            return (int) Math.round(from + (to - from) * s);
        }
    }
}
