package dev.thinj.train.report;

import dev.thinj.model.serialize.AtomicFiles;
import dev.thinj.model.serialize.ModelFileException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws training loss (left axis) and dev accuracy (right axis) per epoch as a PNG, with JFreeChart,
 * headless. The file is written atomically.
 */
public final class MetricsPlot {
    private MetricsPlot() {
    }

    /**
     * @param metrics the epochs so far, at least one
     * @param title the chart's title
     * @param path the PNG to write
     */
    public static void write(List<EpochMetrics> metrics, String title, Path path) {
        System.setProperty("java.awt.headless", "true");
        XYSeries loss = new XYSeries("training loss");
        String score = metrics.isEmpty() ? "accuracy" : metrics.get(metrics.size() - 1).scoreName();
        XYSeries accuracy = new XYSeries("dev " + score);
        for (EpochMetrics m : metrics) {
            loss.add(m.epoch(), m.loss());
            accuracy.add(m.epoch(), m.score());
        }
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis lossAxis = new NumberAxis("loss");
        lossAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lossLine = new XYLineAndShapeRenderer(true, true);
        lossLine.setSeriesPaint(0, new Color(0xC0392B));
        lossLine.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(loss), epochs, lossAxis, lossLine);
        NumberAxis accAxis = new NumberAxis(score);
        accAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer accLine = new XYLineAndShapeRenderer(true, true);
        accLine.setSeriesPaint(0, new Color(0x2471A3));
        accLine.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRangeAxis(1, accAxis);
        plot.setDataset(1, new XYSeriesCollection(accuracy));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, accLine);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(png, chart, 800, 500);
            AtomicFiles.write(path, png.toByteArray());
        } catch (IOException e) {
            throw new ModelFileException("Cannot write plot " + path + ": " + e.getMessage(), e);
        }
    }
}
