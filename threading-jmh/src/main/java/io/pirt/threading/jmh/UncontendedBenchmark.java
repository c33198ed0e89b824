package io.pirt.threading.jmh;

import io.pirt.threading.Hold;
import io.pirt.threading.Lock;
import io.pirt.threading.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * Acquire then release by one thread with nobody else about: the fast path. Each thread
 * has its own primitives, so with {@code -t N} nothing is shared either.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class UncontendedBenchmark {
    private final Lock pirtLock = new Lock();
    private final ReentrantLock jucLock = new ReentrantLock();
    private final Semaphore pirtSemaphore = new Semaphore(1);
    private final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(1);

    @Benchmark
    public void lockPirt() {
        pirtLock.acquire();
        pirtLock.release();
    }

    /** The same through {@code try (Hold h = lock.hold())}: does the Hold cost an allocation? */
    @Benchmark
    @SuppressWarnings("try") // the empty body is the point: only the Hold's cost is measured
    public void lockPirtHold() {
        try (Hold h = pirtLock.hold()) {
            // empty critical section
        }
    }

    @Benchmark
    public void lockJuc() {
        jucLock.lock();
        jucLock.unlock();
    }

    @Benchmark
    public void semaphorePirt() {
        pirtSemaphore.acquire();
        pirtSemaphore.release();
    }

    @Benchmark
    public void semaphoreJuc() throws InterruptedException {
        jucSemaphore.acquire();
        jucSemaphore.release();
    }
}
