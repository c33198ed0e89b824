package io.pirt.threading;

import static org.junit.jupiter.api.Named.named;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Named;

/**
 * Test fixture: one blocking call of the API with a timeout, set up so that it blocks until
 * {@link #unblock()} runs. Lets the timeout and interruption rules be proven once for every
 * call (Lock, Condition and Semaphore acquire, Event and Condition await, Condition.waitFor,
 * Thread.join). Each instance is fresh state for one test.
 */
abstract class BlockingCall implements AutoCloseable {
    /**
     * Makes the call from the calling thread; true iff it got what it waited for. Leaves
     * nothing held (a lock acquired is released again).
     */
    abstract boolean call(long timeoutMs);

    /** Lets a parked or later call succeed; callable from any thread. */
    abstract void unblock();

    /** Whether a thread parked with this park blocker is parked inside {@link #call}. */
    abstract boolean isBlocker(Object parkBlocker);

    /** Unblocks and waits for any helper thread of the fixture to end. */
    @Override
    public void close() {
        unblock();
    }

    /** Every blocking call that takes a timeout, by name. */
    static List<Named<Supplier<BlockingCall>>> all() {
        return List.of(
                named("Lock.acquire", LockAcquire::new),
                named("Semaphore.acquire", SemaphoreAcquire::new),
                named("Condition.acquire", ConditionAcquire::new),
                named("Event.await", EventAwait::new),
                named("Condition.await", ConditionAwait::new),
                named("Condition.waitFor", ConditionWaitFor::new),
                named("Thread.join", ThreadJoin::new));
    }

    /** Locks {@code lock} from a thread that then ends, so no test thread owns it. */
    static void lockFromAnotherThread(Lock lock) {
        Thread locker = Threading.thread(lock::acquire);
        Await.ended(locker);
    }

    static final class LockAcquire extends BlockingCall {
        final Lock lock = new Lock();

        LockAcquire() {
            lockFromAnotherThread(lock);
        }

        @Override
        boolean call(long timeoutMs) {
            boolean acquired = lock.acquire(timeoutMs);
            if (acquired) lock.release();
            return acquired;
        }

        @Override
        void unblock() {
            if (lock.isLocked()) lock.release();
        }

        @Override
        boolean isBlocker(Object b) {
            return b == lock;
        }
    }

    static final class SemaphoreAcquire extends BlockingCall {
        final Semaphore semaphore = new Semaphore(0);

        @Override
        boolean call(long timeoutMs) {
            return semaphore.acquire(timeoutMs);
        }

        @Override
        void unblock() {
            semaphore.release();
        }

        @Override
        boolean isBlocker(Object b) {
            return b == semaphore;
        }
    }

    static final class ConditionAcquire extends BlockingCall {
        final Lock lock = new Lock();
        final Condition condition = new Condition(lock);

        ConditionAcquire() {
            lockFromAnotherThread(lock);
        }

        @Override
        boolean call(long timeoutMs) {
            boolean acquired = condition.acquire(timeoutMs);
            if (acquired) condition.release();
            return acquired;
        }

        @Override
        void unblock() {
            if (lock.isLocked()) lock.release();
        }

        @Override
        boolean isBlocker(Object b) {
            return b == lock;
        }
    }

    static final class EventAwait extends BlockingCall {
        final Event event = new Event();

        @Override
        boolean call(long timeoutMs) {
            return event.await(timeoutMs);
        }

        @Override
        void unblock() {
            event.set();
        }

        @Override
        boolean isBlocker(Object b) {
            return b == event;
        }
    }

    /** Condition.await with the lock taken before and released after; checks the lock is held again on the way out. */
    static final class ConditionAwait extends BlockingCall {
        final Lock lock = new Lock();
        final Condition condition = new Condition(lock);

        @Override
        boolean call(long timeoutMs) {
            condition.acquire();
            try {
                return condition.await(timeoutMs);
            } finally {
                releaseHeldLock(lock, "Condition.await");
            }
        }

        @Override
        void unblock() {
            condition.acquire();
            condition.signalAll();
            condition.release();
        }

        @Override
        boolean isBlocker(Object b) {
            return b == condition;
        }
    }

    static final class ConditionWaitFor extends BlockingCall {
        final Lock lock = new Lock();
        final Condition condition = new Condition(lock);
        /** Guarded by lock. */
        boolean ready;

        @Override
        boolean call(long timeoutMs) {
            condition.acquire();
            try {
                return condition.waitFor(() -> ready, timeoutMs);
            } finally {
                releaseHeldLock(lock, "Condition.waitFor");
            }
        }

        @Override
        void unblock() {
            condition.acquire();
            ready = true;
            condition.signalAll();
            condition.release();
        }

        @Override
        boolean isBlocker(Object b) {
            return b == condition;
        }
    }

    /** Thread.join on a thread that runs until unblocked; true iff it ended. */
    static final class ThreadJoin extends BlockingCall {
        final Event finish = new Event();
        final Thread target = Threading.thread(finish::await);

        @Override
        boolean call(long timeoutMs) {
            target.join(timeoutMs);
            return !target.isAlive();
        }

        @Override
        void unblock() {
            finish.set();
        }

        @Override
        boolean isBlocker(Object b) {
            return b instanceof Event && b != finish; // the target's private end-of-run event
        }

        @Override
        public void close() {
            unblock();
            Await.ended(target);
        }
    }

    /** A Condition call must return or throw holding the lock again: check, then let go of it. */
    static void releaseHeldLock(Lock lock, String call) {
        if (lock.holder() != Thread.current()) {
            throw new AssertionError(call + " returned or threw without holding the lock again (holder: " + lock.holder() + ")");
        }
        lock.release();
    }
}
