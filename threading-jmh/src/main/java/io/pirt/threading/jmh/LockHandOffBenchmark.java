package io.pirt.threading.jmh;

import io.pirt.threading.Lock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two threads contend for one lock around a short critical section (one increment). The
 * score is the average time one thread takes per acquire-increment-release.
 *
 * <p>pirt's Lock never lets a thread barge: a release with a waiter hands the lock to the
 * waiter, which must be unparked before anyone can use it. A non-fair ReentrantLock lets
 * the releasing thread take it back at once, so it mostly runs without hand-offs; a fair
 * one hands off like pirt. Both are reported; the fair one is the like-for-like reference.
 *
 * <p>Each call releases what it acquired, so the end of an iteration cannot leave a thread
 * waiting for good.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class LockHandOffBenchmark {
    private final Lock pirt = new Lock();
    private final ReentrantLock jucUnfair = new ReentrantLock(false);
    private final ReentrantLock jucFair = new ReentrantLock(true);
    /** Each guarded by the lock of the same name. */
    private long pirtCount, jucUnfairCount, jucFairCount;

    @Benchmark
    @Group("pirt")
    @GroupThreads(2)
    public long pirt() {
        pirt.acquire();
        try {
            return ++pirtCount;
        } finally {
            pirt.release();
        }
    }

    @Benchmark
    @Group("jucUnfair")
    @GroupThreads(2)
    public long jucUnfair() {
        jucUnfair.lock();
        try {
            return ++jucUnfairCount;
        } finally {
            jucUnfair.unlock();
        }
    }

    @Benchmark
    @Group("jucFair")
    @GroupThreads(2)
    public long jucFair() {
        jucFair.lock();
        try {
            return ++jucFairCount;
        } finally {
            jucFair.unlock();
        }
    }
}
