package io.pirt.bench;

import io.pirt.bench.BenchConfigs.Config;
import io.pirt.bench.RunResults.Run;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Latency histograms as PNG, one chart per phase ({@code latency-<phase>.png}): for the
 * median run of each configuration, the number of wake-ups (log scale) against the
 * latency in µs (log scale, bins of a twentieth of a decade), one series per configuration.
 * It reads the runs' {@code .hlog} files named by their {@code hlog=} field, and their
 * {@code resolution_us=} where the tool measured coarser than nanoseconds.
 *
 * <p>Exit codes: 0 written; 1 a file could not be read or written; 2 usage.
 */
@Command(name = "latency-plot", mixinStandardHelpOptions = true,
        description = "PNG latency histograms (count vs µs, log-log), one series per configuration's median run.")
public final class LatencyPlot implements Callable<Integer> {
    private static final int BINS_PER_DECADE = 20;
    /** Latencies below this are drawn in its bin; no wake-up here comes sooner after its deadline. */
    private static final double SMALLEST_US = 0.1;
    /** cyclictest's series: black and grey, drawn thick. */
    private static final Color[] REFERENCE_COLORS = {new Color(0, 0, 0), new Color(130, 130, 130)};
    private static final Color[] COLORS = {
        new Color(214, 39, 40), new Color(31, 119, 180),
        new Color(44, 160, 44), new Color(255, 127, 14), new Color(148, 103, 189), new Color(140, 86, 75),
        new Color(227, 119, 194), new Color(23, 190, 207)};

    @Spec
    CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "FILE", description = "Runs, one key=value line each, with hlog=.")
    Path resultsFile;

    @Option(names = "--configs", required = true, paramLabel = "FILE", description = "Configurations, name<TAB>reference<TAB>description.")
    Path configsFile;

    @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "Where latency-<phase>.png go.")
    Path outDir;

    @Option(names = "--subtitle", description = "A line under the title (the machine, say).")
    String subtitle;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new LatencyPlot()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        RunResults results = RunResults.read(resultsFile);
        BenchConfigs configs = BenchConfigs.read(configsFile);
        Files.createDirectories(outDir);
        PrintWriter out = spec.commandLine().getOut();
        for (String phase : results.phases()) {
            XYSeriesCollection series = new XYSeriesCollection();
            for (Config c : configs.configs()) {
                Optional<Run> median = results.median(phase, c.name());
                if (median.isEmpty()) continue;
                Run r = median.get();
                Path hlog = Path.of(r.text("hlog"));
                long resolutionNs = Math.round(r.optional("resolution_us").map(Double::parseDouble).orElse(0.0) * 1000);
                series.addSeries(binned(HistogramFiles.read(hlog), String.format(java.util.Locale.ROOT,
                        "%s (p99 %.1f, max %.1f µs)", c.name(), r.number("p99_us"), r.number("max_us")), resolutionNs));
            }
            Path png = outDir.resolve("latency-" + phase + ".png");
            ChartUtils.saveChartAsPNG(png.toFile(), chart(phase, series), 1400, 800);
            out.println(png);
        }
        out.flush();
        return 0;
    }

    /**
     * Counts per logarithmic bin, plotted at the bin's geometric centre, with a gap (null)
     * for each empty bin between the first and the last. With {@code resolutionNs > 0} each
     * recorded value {@code v} stands for latencies in {@code [v, v + resolutionNs)} (cyclictest
     * rounds down to whole microseconds): its count goes to the bin of the interval's middle,
     * or, where bins are narrower than twice the interval, is spread over the bins it
     * overlaps, so that they do not alternate between empty and double.
     */
    static XYSeries binned(Histogram latencyNs, String name, long resolutionNs) {
        TreeMap<Integer, Double> bins = new TreeMap<>();
        for (HistogramIterationValue v : latencyNs.recordedValues()) {
            double count = v.getCountAtValueIteratedTo();
            if (resolutionNs <= 0) {
                double us = latencyNs.medianEquivalentValue(v.getValueIteratedTo()) / 1e3;
                bins.merge(bin(us), count, Double::sum);
                continue;
            }
            double lowUs = Math.max(SMALLEST_US, v.getValueIteratedTo() / 1e3), highUs = lowUs + resolutionNs / 1e3;
            int mid = bin((lowUs + highUs) / 2);
            if (edgeUs(mid + 1) - edgeUs(mid) >= 2 * (highUs - lowUs)) {
                bins.merge(mid, count, Double::sum); // bins this wide need no spreading (and no fractions of a wake-up)
                continue;
            }
            for (int b = bin(lowUs); b <= bin(highUs); b++) {
                double overlap = Math.min(highUs, edgeUs(b + 1)) - Math.max(lowUs, edgeUs(b));
                if (overlap > 0) bins.merge(b, count * overlap / (highUs - lowUs), Double::sum);
            }
        }
        XYSeries s = new XYSeries(name, true, false);
        if (bins.isEmpty()) return s;
        for (int b = bins.firstKey(); b <= bins.lastKey(); b++) {
            Double count = bins.get(b);
            s.add(Double.valueOf(Math.pow(10, (b + 0.5) / BINS_PER_DECADE)), count == null || count < 1e-9 ? null : count);
        }
        return s;
    }

    private static int bin(double us) {
        return (int) Math.floor(Math.log10(Math.max(SMALLEST_US, us)) * BINS_PER_DECADE);
    }

    private static double edgeUs(int bin) {
        return Math.pow(10, (double) bin / BINS_PER_DECADE);
    }

    private JFreeChart chart(String phase, XYSeriesCollection series) {
        LogAxis x = new LogAxis("wake-up latency (µs), log scale");
        x.setSmallestValue(SMALLEST_US);
        x.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        LogAxis y = new LogAxis("wake-ups per bin (1/" + BINS_PER_DECADE + " decade), log scale");
        y.setSmallestValue(0.1);
        y.setTickUnit(new NumberTickUnit(1.0), false, true); // in log space: 1, 10, 100, ...
        y.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int references = 0, others = 0;
        for (int i = 0; i < series.getSeriesCount(); i++) {
            boolean reference = series.getSeriesKey(i).toString().startsWith("cyclictest");
            renderer.setSeriesPaint(i, reference ? REFERENCE_COLORS[references++ % REFERENCE_COLORS.length] : COLORS[others++ % COLORS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(reference ? 3f : 1.5f));
            renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        XYPlot plot = new XYPlot(series, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(210, 210, 210));
        plot.setRangeGridlinePaint(new Color(210, 210, 210));
        JFreeChart chart = new JFreeChart("Wake-up latency, " + phase + ": median run of each configuration",
                new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (subtitle != null) chart.addSubtitle(new TextTitle(subtitle));
        return chart;
    }
}
