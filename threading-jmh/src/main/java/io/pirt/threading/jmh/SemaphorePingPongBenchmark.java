package io.pirt.threading.jmh;

import io.pirt.threading.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Two threads hand a token back and forth through two semaphores that start at 0: ping
 * releases {@code toPong} then takes from {@code toPing}; pong takes from {@code toPong}
 * then releases {@code toPing}. One operation of either thread is one round trip: two
 * hand-offs, each a release that wakes a parked thread.
 *
 * <p>Ending an iteration (the JMHSample_18_Control pattern): the first thread to leave
 * its measurement loop sets {@code Control.stopMeasurement} and keeps being called until
 * the other has left too. A side stops waiting once the flag is up, and it waits with a
 * bound ({@link Timeouts#TIMEOUT_MS}) so that it sees the flag even if it went up while
 * it was parked; permits left over are dropped with the semaphores at the next iteration.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class SemaphorePingPongBenchmark {
    private Semaphore pirtToPong, pirtToPing;
    private java.util.concurrent.Semaphore jucToPong, jucToPing;

    @Setup(Level.Iteration)
    public void freshSemaphores() {
        pirtToPong = new Semaphore(0);
        pirtToPing = new Semaphore(0);
        jucToPong = new java.util.concurrent.Semaphore(0);
        jucToPing = new java.util.concurrent.Semaphore(0);
    }

    @Benchmark
    @Group("pirt")
    public void pirtPing(Control control, Timeouts t) {
        pirtToPong.release();
        take(pirtToPing, control, t);
    }

    @Benchmark
    @Group("pirt")
    public void pirtPong(Control control, Timeouts t) {
        take(pirtToPong, control, t);
        pirtToPing.release();
    }

    @Benchmark
    @Group("juc")
    public void jucPing(Control control, Timeouts t) throws InterruptedException {
        jucToPong.release();
        take(jucToPing, control, t);
    }

    @Benchmark
    @Group("juc")
    public void jucPong(Control control, Timeouts t) throws InterruptedException {
        take(jucToPong, control, t);
        jucToPing.release();
    }

    private static void take(Semaphore s, Control control, Timeouts t) {
        while (!control.stopMeasurement) {
            if (s.acquire(Timeouts.TIMEOUT_MS)) return;
            t.timeouts++;
        }
    }

    private static void take(java.util.concurrent.Semaphore s, Control control, Timeouts t) throws InterruptedException {
        while (!control.stopMeasurement) {
            if (s.tryAcquire(Timeouts.TIMEOUT_MS, TimeUnit.MILLISECONDS)) return;
            t.timeouts++;
        }
    }
}
