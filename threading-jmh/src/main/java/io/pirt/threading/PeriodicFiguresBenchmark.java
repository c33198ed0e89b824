package io.pirt.threading;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording a wake-up costs a {@link Periodic} thread: {@link ScheduleFigures#woke}
 * (HdrHistogram's single-writer recorder and a volatile counter), against the baseline of
 * computing the lateness alone. In package io.pirt.threading because the figures are not
 * public API. Lateness values cycle through a spread of 1 µs to 2 ms so the histogram's
 * buckets vary as on a real loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeriodicFiguresBenchmark {
    private final ScheduleFigures figures = new ScheduleFigures();
    private long i;

    private long nextLateness() {
        return 1_000 + (i++ * 7_919) % 2_000_000;
    }

    @Benchmark
    public long latenessOnly() {
        return nextLateness();
    }

    @Benchmark
    public void recordWakeUp() {
        figures.woke(nextLateness());
    }
}
