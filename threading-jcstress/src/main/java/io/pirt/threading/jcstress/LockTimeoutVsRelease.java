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
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A timed acquire racing a release ends one of two ways: acquired and the lock held, or
 * not acquired and the lock free. Never a lost lock (nobody holds it, yet it is locked),
 * never a grant the waiter does not know about.
 */
public class LockTimeoutVsRelease {
    private LockTimeoutVsRelease() {
    }

    @JCStressTest
    @Description("A held Lock; one thread acquires with a 1 ms timeout while another releases at once.")
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "acquired; the lock is held")
    @Outcome(id = "false, false", expect = ACCEPTABLE, desc = "timed out before the release; the lock is free")
    @Outcome(id = "false, true", expect = FORBIDDEN, desc = "lost lock: not acquired, released, yet locked")
    @Outcome(id = "true, false", expect = FORBIDDEN, desc = "acquired, yet the lock is free")
    @State
    public static class Immediate {
        private final Lock lock = new Lock();

        public Immediate() {
            lock.acquire();
        }

        @Actor
        public void waiter(ZZ_Result r) {
            r.r1 = lock.acquire(Waits.RACE_MS);
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
    @Description("A held Lock; one thread acquires with a 1 ms timeout while another releases about 1 ms later, "
            + "so that the release and the timeout race.")
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "acquired; the lock is held")
    @Outcome(id = "false, false", expect = ACCEPTABLE, desc = "timed out before the release; the lock is free")
    @Outcome(id = "false, true", expect = FORBIDDEN, desc = "lost lock: not acquired, released, yet locked")
    @Outcome(id = "true, false", expect = FORBIDDEN, desc = "acquired, yet the lock is free")
    @State
    public static class AtTheDeadline {
        private final Lock lock = new Lock();

        public AtTheDeadline() {
            lock.acquire();
        }

        @Actor
        public void waiter(ZZ_Result r) {
            r.r1 = lock.acquire(Waits.RACE_MS);
        }

        @Actor
        public void releaser() {
            Waits.spinNanos(Waits.RACE_MS * 1_000_000);
            lock.release();
        }

        @Arbiter
        public void after(ZZ_Result r) {
            r.r2 = lock.isLocked();
        }
    }
}
