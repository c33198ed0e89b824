package io.pirt.threading.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.pirt.threading.Event;
import io.pirt.threading.Lock;
import io.pirt.threading.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/**
 * A grant finishes outside the scheduler lock: the granter takes the waiter out of its queue
 * under the lock, then writes its status and unparks it after releasing the lock. A waiter
 * whose timeout runs out in between must take the grant as its own, and wait for that status
 * write before it returns, since it reuses the same waiter node for its next wait: a late
 * write landing on that next wait would end it as granted. Here the waiter, right after its
 * timed wait raced a grant, waits 1 ms on something nobody ever grants; that second wait
 * must time out. Results: first wait's outcome, second wait's outcome, then the state
 * afterwards (locked, or a permit left).
 */
public class GrantVsTimeoutThenNextWait {
    private GrantVsTimeoutThenNextWait() {
    }

    @JCStressTest
    @Description("Lock: a 1 ms acquire races a release aimed at its deadline; then a 1 ms wait on a Semaphore(0).")
    @Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "acquired; the next wait timed out")
    @Outcome(id = "false, false, false", expect = ACCEPTABLE, desc = "timed out before the release; the next wait timed out")
    @Outcome(id = {"true, true, true", "false, true, false"}, expect = FORBIDDEN,
            desc = "the next wait ended as granted though nothing was granted: a late grant reached it")
    @Outcome(expect = FORBIDDEN, desc = "lost or phantom lock")
    @State
    public static class LockThenSemaphore {
        private final Lock lock = new Lock();
        private final Semaphore never = new Semaphore(0);

        public LockThenSemaphore() {
            lock.acquire();
        }

        @Actor
        public void waiter(ZZZ_Result r) {
            r.r1 = lock.acquire(Waits.RACE_MS);
            r.r2 = never.acquire(Waits.RACE_MS);
        }

        @Actor
        public void releaser() {
            Waits.spinNanos(Waits.RACE_MS * 1_000_000);
            lock.release();
        }

        @Arbiter
        public void after(ZZZ_Result r) {
            r.r3 = lock.isLocked();
        }
    }

    @JCStressTest
    @Description("Semaphore(0): a 1 ms acquire races a release aimed at its deadline; then a 1 ms wait on a Lock held for good.")
    @Outcome(id = "true, false, false", expect = ACCEPTABLE, desc = "took the permit; the next wait timed out")
    @Outcome(id = "false, false, true", expect = ACCEPTABLE, desc = "timed out before the release, the permit stays; the next wait timed out")
    @Outcome(id = {"true, true, false", "false, true, true"}, expect = FORBIDDEN,
            desc = "the next wait ended as granted though nothing was granted: a late grant reached it")
    @Outcome(expect = FORBIDDEN, desc = "lost or duplicated permit")
    @State
    public static class SemaphoreThenLock {
        private final Semaphore semaphore = new Semaphore(0);
        private final Lock heldForGood = new Lock();

        public SemaphoreThenLock() {
            heldForGood.acquire();
        }

        @Actor
        public void waiter(ZZZ_Result r) {
            r.r1 = semaphore.acquire(Waits.RACE_MS);
            r.r2 = heldForGood.acquire(Waits.RACE_MS);
        }

        @Actor
        public void releaser() {
            Waits.spinNanos(Waits.RACE_MS * 1_000_000);
            semaphore.release();
        }

        @Arbiter
        public void after(ZZZ_Result r) {
            r.r3 = semaphore.getValue() == 1;
        }
    }

    @JCStressTest
    @Description("Event: a 1 ms await races a set aimed at its deadline; then a 1 ms await on an Event never set.")
    @Outcome(id = {"true, false, true", "false, false, true"}, expect = ACCEPTABLE,
            desc = "saw the set or timed out before it; the next wait timed out")
    @Outcome(id = {"true, true, true", "false, true, true"}, expect = FORBIDDEN,
            desc = "the next wait ended as granted though nothing was set: a late grant reached it")
    @Outcome(expect = FORBIDDEN, desc = "the event is not set after set()")
    @State
    public static class EventThenEvent {
        private final Event event = new Event();
        private final Event never = new Event();

        @Actor
        public void waiter(ZZZ_Result r) {
            r.r1 = event.await(Waits.RACE_MS);
            r.r2 = never.await(Waits.RACE_MS);
        }

        @Actor
        public void setter() {
            Waits.spinNanos(Waits.RACE_MS * 1_000_000);
            event.set();
        }

        @Arbiter
        public void after(ZZZ_Result r) {
            r.r3 = event.isSet();
        }
    }
}
