package io.pirt.threading.jmh;

import io.pirt.threading.Condition;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Two threads take turns: each holds the lock, awaits the condition until the turn flag
 * says it is its turn, gives the turn to the other, signals and releases. One operation of
 * either thread is one round trip (its own turn and the other's).
 *
 * <p>Ending an iteration cannot leave a side waiting: a side waits only while it is the
 * other's turn, and the other takes its turn whenever it is called, even after
 * {@code Control.stopMeasurement} is up (it stops waiting, never stops taking its turn).
 * The wait is bounded ({@link Timeouts#TIMEOUT_MS}) all the same, and counted if it runs out.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class ConditionPingPongBenchmark {
    private final Condition pirt = new Condition();
    /** Guarded by pirt's lock. */
    private boolean pirtPingsTurn = true;

    private final ReentrantLock jucLock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition jucTurnChanged = jucLock.newCondition();
    /** Guarded by jucLock. */
    private boolean jucPingsTurn = true;

    @Benchmark
    @Group("pirt")
    public void pirtPing(Control control, Timeouts t) {
        pirtTakeTurn(true, control, t);
    }

    @Benchmark
    @Group("pirt")
    public void pirtPong(Control control, Timeouts t) {
        pirtTakeTurn(false, control, t);
    }

    @Benchmark
    @Group("juc")
    public void jucPing(Control control, Timeouts t) throws InterruptedException {
        jucTakeTurn(true, control, t);
    }

    @Benchmark
    @Group("juc")
    public void jucPong(Control control, Timeouts t) throws InterruptedException {
        jucTakeTurn(false, control, t);
    }

    private void pirtTakeTurn(boolean ping, Control control, Timeouts t) {
        pirt.acquire();
        try {
            while (pirtPingsTurn != ping) {
                if (control.stopMeasurement) return;
                if (!pirt.await(Timeouts.TIMEOUT_MS)) t.timeouts++;
            }
            pirtPingsTurn = !ping;
            pirt.signal();
        } finally {
            pirt.release();
        }
    }

    private void jucTakeTurn(boolean ping, Control control, Timeouts t) throws InterruptedException {
        jucLock.lock();
        try {
            while (jucPingsTurn != ping) {
                if (control.stopMeasurement) return;
                if (!jucTurnChanged.await(Timeouts.TIMEOUT_MS, TimeUnit.MILLISECONDS)) t.timeouts++;
            }
            jucPingsTurn = !ping;
            jucTurnChanged.signal();
        } finally {
            jucLock.unlock();
        }
    }
}
