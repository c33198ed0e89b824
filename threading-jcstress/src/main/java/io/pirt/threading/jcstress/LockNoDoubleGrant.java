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
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/** A Lock is never granted to two threads without a release in between. */
public class LockNoDoubleGrant {
    private LockNoDoubleGrant() {
    }

    @JCStressTest
    @Description("Two threads poll a free Lock (the fast path only): exactly one gets it, and it is then locked.")
    @Outcome(id = {"true, false, true", "false, true, true"}, expect = ACCEPTABLE, desc = "one thread got the lock")
    @Outcome(id = {"true, true, true", "true, true, false"}, expect = FORBIDDEN, desc = "double grant: both threads got the lock")
    @Outcome(expect = FORBIDDEN, desc = "a free lock polled by two threads went to neither, or was granted yet is unlocked")
    @State
    public static class TwoPolls {
        private final Lock lock = new Lock();

        @Actor
        public void first(ZZZ_Result r) {
            r.r1 = lock.acquire(false);
        }

        @Actor
        public void second(ZZZ_Result r) {
            r.r2 = lock.acquire(false);
        }

        @Arbiter
        public void after(ZZZ_Result r) {
            r.r3 = lock.isLocked();
        }
    }

    @JCStressTest
    @Description("A held Lock; one thread waits for it with a 1 ms timeout while another releases it and at once "
            + "tries to take it back with a 1 ms timeout: one release, so exactly one of the two gets the lock.")
    @Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "the waiter got the lock (handed over, or taken when free)")
    @Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the releaser took it back (the waiter came late or timed out first)")
    @Outcome(id = {"true, true, true", "true, true, false"}, expect = FORBIDDEN, desc = "double grant: one release, two holders")
    @Outcome(id = {"false, false, true", "false, false, false"}, expect = FORBIDDEN, desc = "lost lock: released, and neither thread got it")
    @Outcome(expect = FORBIDDEN, desc = "a thread got the lock, yet it is unlocked")
    @State
    public static class ReleaseAndRetakeVersusWaiter {
        private final Lock lock = new Lock();

        public ReleaseAndRetakeVersusWaiter() {
            lock.acquire();
        }

        @Actor
        public void waiter(ZZZ_Result r) {
            r.r1 = lock.acquire(Waits.RACE_MS);
        }

        @Actor
        public void releaser(ZZZ_Result r) {
            lock.release();
            r.r2 = lock.acquire(Waits.RACE_MS);
        }

        @Arbiter
        public void after(ZZZ_Result r) {
            r.r3 = lock.isLocked();
        }
    }
}
