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
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Permits are conserved: every permit released is either taken by exactly one acquire or
 * still counted in the value, however acquires, releases and timeouts interleave.
 * Results are 1/0 per acquirer (took a permit or not), then the value afterwards.
 */
public class SemaphoreNoLostPermit {
    private SemaphoreNoLostPermit() {
    }

    @JCStressTest
    @Description("Semaphore(1) polled by two threads: exactly one takes the permit.")
    @Outcome(id = {"1, 0, 0", "0, 1, 0"}, expect = ACCEPTABLE, desc = "one thread took the permit")
    @Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "double grant: one permit, two takers")
    @Outcome(expect = FORBIDDEN, desc = "permit lost or duplicated")
    @State
    public static class TwoPolls {
        private final Semaphore semaphore = new Semaphore(1);

        @Actor
        public void first(III_Result r) {
            r.r1 = semaphore.acquire(false) ? 1 : 0;
        }

        @Actor
        public void second(III_Result r) {
            r.r2 = semaphore.acquire(false) ? 1 : 0;
        }

        @Arbiter
        public void after(III_Result r) {
            r.r3 = semaphore.getValue();
        }
    }

    @JCStressTest
    @Description("Semaphore(0); one thread releases while another acquires with a 1 ms timeout: acquired + value == 1.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the acquirer took the permit")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the acquirer timed out before the release; the permit stays")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost permit")
    @Outcome(expect = FORBIDDEN, desc = "permit duplicated")
    @State
    public static class Immediate {
        private final Semaphore semaphore = new Semaphore(0);

        @Actor
        public void releaser() {
            semaphore.release();
        }

        @Actor
        public void acquirer(II_Result r) {
            r.r1 = semaphore.acquire(Waits.RACE_MS) ? 1 : 0;
        }

        @Arbiter
        public void after(II_Result r) {
            r.r2 = semaphore.getValue();
        }
    }

    @JCStressTest
    @Description("Semaphore(0); one thread releases about 1 ms late while another acquires with a 1 ms timeout, "
            + "so that the release and the timeout race: acquired + value == 1.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the acquirer took the permit")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the acquirer timed out before the release; the permit stays")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost permit")
    @Outcome(expect = FORBIDDEN, desc = "permit duplicated")
    @State
    public static class AtTheDeadline {
        private final Semaphore semaphore = new Semaphore(0);

        @Actor
        public void releaser() {
            Waits.spinNanos(Waits.RACE_MS * 1_000_000);
            semaphore.release();
        }

        @Actor
        public void acquirer(II_Result r) {
            r.r1 = semaphore.acquire(Waits.RACE_MS) ? 1 : 0;
        }

        @Arbiter
        public void after(II_Result r) {
            r.r2 = semaphore.getValue();
        }
    }

    @JCStressTest
    @Description("Semaphore(0); one thread acquires with a 1 ms timeout while another releases and at once "
            + "acquires with a 1 ms timeout: one permit, so exactly one of the two takes it.")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the waiter took the permit (handed over, or taken when there)")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "the releaser took it back (the waiter came late or timed out first)")
    @Outcome(id = {"1, 1, 0", "1, 1, 1"}, expect = FORBIDDEN, desc = "double grant: one release, two takers")
    @Outcome(id = "0, 0, 0", expect = FORBIDDEN, desc = "lost permit")
    @Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "the permit was there for the releaser's own acquire, yet it timed out")
    @Outcome(expect = FORBIDDEN, desc = "permit duplicated")
    @State
    public static class ReleaseAndRetakeVersusWaiter {
        private final Semaphore semaphore = new Semaphore(0);

        @Actor
        public void waiter(III_Result r) {
            r.r1 = semaphore.acquire(Waits.RACE_MS) ? 1 : 0;
        }

        @Actor
        public void releaser(III_Result r) {
            semaphore.release();
            r.r2 = semaphore.acquire(Waits.RACE_MS) ? 1 : 0;
        }

        @Arbiter
        public void after(III_Result r) {
            r.r3 = semaphore.getValue();
        }
    }
}
