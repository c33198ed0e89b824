package io.pirt.bench;

import io.pirt.bench.BenchConfigs.Config;
import io.pirt.bench.RunResults.Run;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Markdown comparison of the runs {@code compare.sh} collected: per phase (idle,
 * loaded) a table with the median run of each configuration (min/avg/p99/p99.9/max in µs),
 * its p99 and max as multiples of its reference configuration's (cyclictest), the max of
 * every run and the GC pauses of the median run; then, for each target phase that ran, which
 * pirt configurations meet the target and which is lowest there.
 *
 * <p>Exit codes: 0 written; 1 a file could not be read or is malformed; 2 usage.
 */
@Command(name = "comparison-report", mixinStandardHelpOptions = true,
        description = "Markdown table of cyclictest and pirt runs: median run per configuration, ratios to the reference.")
public final class ComparisonReport implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "FILE", description = "Runs, one key=value line each (see RunResults).")
    Path resultsFile;

    @Option(names = "--configs", required = true, paramLabel = "FILE", description = "Configurations, name<TAB>reference<TAB>description.")
    Path configsFile;

    @Option(names = "--target-phase", split = ",", description = "Phases the target applies to, those of them that ran (default: ${DEFAULT-VALUE}).")
    List<String> targetPhases = List.of("loaded", "loaded-alloc");

    @Option(names = "--target-p99-ratio", description = "Largest p99 ÷ reference's p99 that meets the target (default: ${DEFAULT-VALUE}).")
    double targetP99Ratio = 1.5;

    @Option(names = "--target-max-ratio", description = "Largest max ÷ reference's max that meets the target (default: ${DEFAULT-VALUE}).")
    double targetMaxRatio = 3.0;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ComparisonReport()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        RunResults results = RunResults.read(resultsFile);
        BenchConfigs configs = BenchConfigs.read(configsFile);
        PrintWriter out = spec.commandLine().getOut();
        out.print(markdown(results, configs));
        out.flush();
        return 0;
    }

    String markdown(RunResults results, BenchConfigs configs) {
        StringBuilder md = new StringBuilder();
        for (String phase : results.phases()) {
            md.append("### ").append(phase).append("\n\n");
            md.append("Median run of each configuration (by p99, then max); latencies in µs.\n\n");
            md.append("| configuration | runs | min | avg | p99 | p99.9 | max | p99 ÷ ref | max ÷ ref | max of each run | GC pauses in run |\n");
            md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|\n");
            for (Config c : configs.configs()) {
                Optional<Run> median = results.median(phase, c.name());
                if (median.isEmpty()) continue;
                Run r = median.get();
                Optional<Run> ref = c.reference().flatMap(name -> results.median(phase, name));
                md.append("| ").append(c.name())
                        .append(" | ").append(results.runs(phase, c.name()).size())
                        .append(" | ").append(us(r, "min_us"))
                        .append(" | ").append(us(r, "avg_us"))
                        .append(" | ").append(us(r, "p99_us"))
                        .append(" | ").append(us(r, "p999_us"))
                        .append(" | ").append(us(r, "max_us"))
                        .append(" | ").append(ref.map(x -> ratioText(ratio(r, x, "p99_us"))).orElse(c.reference().isEmpty() ? "ref" : "–"))
                        .append(" | ").append(ref.map(x -> ratioText(ratio(r, x, "max_us"))).orElse(c.reference().isEmpty() ? "ref" : "–"))
                        .append(" | ").append(results.runs(phase, c.name()).stream().map(x -> us(x, "max_us")).collect(Collectors.joining(", ")))
                        .append(" | ").append(r.optional("gc_pauses").map(n -> n + r.optional("gc_pause_ms").map(ms -> " (" + ms + " ms)").orElse("")).orElse("–"))
                        .append(" |\n");
            }
            md.append("\n");
        }
        md.append("### configurations\n\n| configuration | reference | what ran |\n|---|---|---|\n");
        for (Config c : configs.configs()) {
            md.append("| ").append(c.name()).append(" | ").append(c.reference().orElse("–")).append(" | ").append(c.description()).append(" |\n");
        }
        for (String phase : targetPhases) {
            if (results.phases().contains(phase)) md.append("\n").append(verdict(results, configs, phase));
        }
        return md.toString();
    }

    /** Which configurations with a reference meet the target in {@code targetPhase}, and the lowest of them. */
    private String verdict(RunResults results, BenchConfigs configs, String targetPhase) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### target (%s): p99 ≤ %s× and max ≤ %s× the reference's\n\n", targetPhase,
                trim(targetP99Ratio), trim(targetMaxRatio)));
        List<Run> candidates = new ArrayList<>();
        for (Config c : configs.configs()) {
            if (c.reference().isEmpty()) continue;
            Optional<Run> r = results.median(targetPhase, c.name());
            Optional<Run> ref = results.median(targetPhase, c.reference().get());
            if (r.isEmpty() || ref.isEmpty()) continue;
            double p99 = ratio(r.get(), ref.get(), "p99_us"), max = ratio(r.get(), ref.get(), "max_us");
            boolean meets = p99 <= targetP99Ratio && max <= targetMaxRatio;
            md.append("- ").append(c.name()).append(": p99 ").append(ratioText(p99)).append(", max ").append(ratioText(max))
                    .append(" → ").append(meets ? "**meets**" : "misses").append("\n");
            candidates.add(r.get());
        }
        if (!candidates.isEmpty()) {
            Run byTail = candidates.stream().min(Comparator.<Run>comparingDouble(r -> r.number("p999_us"))
                    .thenComparingDouble(r -> r.number("max_us"))).orElseThrow();
            Run byMax = candidates.stream().min(Comparator.comparingDouble(r -> r.number("max_us"))).orElseThrow();
            Run byP99 = candidates.stream().min(RunResults.BY_P99_THEN_MAX).orElseThrow();
            md.append("\nLowest in ").append(targetPhase).append(" (median runs): p99 ").append(byP99.config())
                    .append(" (").append(us(byP99, "p99_us")).append(" µs), p99.9 ").append(byTail.config())
                    .append(" (").append(us(byTail, "p999_us")).append(" µs), max ").append(byMax.config())
                    .append(" (").append(us(byMax, "max_us")).append(" µs).\n");
        }
        return md.toString();
    }

    private static double ratio(Run r, Run ref, String key) {
        double base = ref.number(key);
        return base > 0 ? r.number(key) / base : Double.POSITIVE_INFINITY;
    }

    private static String ratioText(double ratio) {
        return Double.isInfinite(ratio) ? "∞" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static String us(Run r, String key) {
        return String.format(Locale.ROOT, "%.1f", r.number(key));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
