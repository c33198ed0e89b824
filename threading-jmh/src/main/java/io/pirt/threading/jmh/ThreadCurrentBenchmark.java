package io.pirt.threading.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What naming the calling thread costs: every pirt Lock acquire asks
 * {@code io.pirt.threading.Thread.current()} (to record the holder), where ReentrantLock asks
 * {@code java.lang.Thread.currentThread()}. JMH's threads are not pirt threads, so pirt finds
 * their Thread through a ThreadLocal, as it would for {@code main} or any foreign thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThreadCurrentBenchmark {
    @Benchmark
    public io.pirt.threading.Thread pirt() {
        return io.pirt.threading.Thread.current();
    }

    @Benchmark
    public java.lang.Thread juc() {
        return java.lang.Thread.currentThread();
    }
}
