package io.pirt.threading.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.pirt.threading.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A thread waiting for a Lock gets it when it is released: the release is never missed,
 * whether it comes before the waiter parks or after.
 *
 * <p>The lock is acquired in the state's constructor, which jcstress mostly runs on the
 * actor threads (each builds half of the next states): so the first release is sometimes
 * by the holder and sometimes by another thread, and the waiter sometimes waits for a lock
 * its own thread holds (the Lock is not reentrant; any thread may release it).
 */
public class LockNoLostWakeUp {
    private LockNoLostWakeUp() {
    }

    @JCStressTest
    @Description("A held Lock; one thread waits for it (bounded at 10 s), another releases it: the waiter gets it.")
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the waiter got the lock")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "lost wake-up: the lock was released, the waiter ran out its 10 s")
    @Outcome(expect = FORBIDDEN, desc = "the lock state disagrees with the outcome of the wait")
    @State
    public static class OneWaiter {
        private final Lock lock = new Lock();

        public OneWaiter() {
            lock.acquire();
        }

        @Actor
        public void waiter(ZZ_Result r) {
            r.r1 = lock.acquire(Waits.MUST_SUCCEED_MS);
        }

        @Actor
        public void releaser() {
            lock.release();
        }

        @Arbiter
        public void after(ZZ_Result r) {
            r.r2 = lock.isLocked();
        }
    }

    @JCStressTest
    @Description("A held Lock; one thread waits for it (bounded at 10 s); the other releases it, then waits for it "
            + "again. Each increments a plain counter under the lock and releases. Both get the lock in turn, no "
            + "increment is lost (mutual exclusion; a release happens-before the next acquisition) and it ends free.")
    @Outcome(id = "1, 1, 2, 0", expect = ACCEPTABLE, desc = "both got the lock in turn")
    @Outcome(id = "1, 1, 1, 0", expect = FORBIDDEN, desc = "lost update: both held the lock at once, or a release did not publish")
    @Outcome(expect = FORBIDDEN, desc = "lost wake-up (a wait ran out its 10 s) or a lock left locked")
    @State
    public static class HandOverAndBack {
        private final Lock lock = new Lock();
        /** Guarded by lock. */
        private int count;

        public HandOverAndBack() {
            lock.acquire();
        }

        @Actor
        public void waiter(IIII_Result r) {
            if (lock.acquire(Waits.MUST_SUCCEED_MS)) {
                r.r1 = 1;
                count++;
                lock.release();
            }
        }

        @Actor
        public void releaser(IIII_Result r) {
            lock.release();
            if (lock.acquire(Waits.MUST_SUCCEED_MS)) {
                r.r2 = 1;
                count++;
                lock.release();
            }
        }

        @Arbiter
        public void after(IIII_Result r) {
            r.r3 = count;
            r.r4 = lock.isLocked() ? 1 : 0;
        }
    }
}
