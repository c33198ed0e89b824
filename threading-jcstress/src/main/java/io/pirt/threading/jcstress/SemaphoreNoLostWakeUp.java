package io.pirt.threading.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.pirt.threading.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/** A thread waiting on a Semaphore gets a permit released for it, before it parks or after. */
public class SemaphoreNoLostWakeUp {
    private SemaphoreNoLostWakeUp() {
    }

    @JCStressTest
    @Description("Semaphore(0); one thread acquires (bounded at 10 s) while another releases: the acquirer takes the permit.")
    @Outcome(id = "true, 0", expect = ACCEPTABLE, desc = "the acquirer took the permit")
    @Outcome(id = "false, 1", expect = FORBIDDEN, desc = "lost wake-up: the permit was there, the acquirer ran out its 10 s")
    @Outcome(expect = FORBIDDEN, desc = "permit lost or duplicated")
    @State
    public static class OneWaiter {
        private final Semaphore semaphore = new Semaphore(0);

        @Actor
        public void acquirer(ZI_Result r) {
            r.r1 = semaphore.acquire(Waits.MUST_SUCCEED_MS);
        }

        @Actor
        public void releaser() {
            semaphore.release();
        }

        @Arbiter
        public void after(ZI_Result r) {
            r.r2 = semaphore.getValue();
        }
    }

    @JCStressTest
    @Description("Semaphore(0); one thread acquires twice (each bounded at 10 s) while another releases twice: "
            + "both acquires take a permit, whether the releases come while it waits or before.")
    @Outcome(id = "true, true, 0", expect = ACCEPTABLE, desc = "both acquires took a permit")
    @Outcome(expect = FORBIDDEN, desc = "lost wake-up (an acquire ran out its 10 s), or a permit lost or duplicated")
    @State
    public static class TwoInARow {
        private final Semaphore semaphore = new Semaphore(0);

        @Actor
        public void acquirer(ZZI_Result r) {
            r.r1 = semaphore.acquire(Waits.MUST_SUCCEED_MS);
            r.r2 = semaphore.acquire(Waits.MUST_SUCCEED_MS);
        }

        @Actor
        public void releaser() {
            semaphore.release();
            semaphore.release();
        }

        @Arbiter
        public void after(ZZI_Result r) {
            r.r3 = semaphore.getValue();
        }
    }
}
