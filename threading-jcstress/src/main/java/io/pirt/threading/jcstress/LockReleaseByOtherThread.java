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

/**
 * Any thread may release a Lock (contract: "any thread may release"), and the lock is then
 * free for anyone.
 */
@JCStressTest
@Description("One thread acquires a free Lock; another waits (spinning, bounded at 10 s) until it is locked and "
        + "releases it; afterwards the lock is free: the arbiter can poll it.")
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "released by the other thread, free again")
@Outcome(id = "true, true, false", expect = FORBIDDEN, desc = "released by a non-holder, yet still locked")
@Outcome(expect = FORBIDDEN, desc = "the free lock was not acquired, or never seen locked within 10 s")
@State
public class LockReleaseByOtherThread {
    private final Lock lock = new Lock();

    @Actor
    public void holder(ZZZ_Result r) {
        r.r1 = lock.acquire(false);
    }

    @Actor
    public void other(ZZZ_Result r) {
        if (Waits.spinUntil(lock::isLocked)) {
            lock.release();
            r.r2 = true;
        }
    }

    @Arbiter
    public void after(ZZZ_Result r) {
        r.r3 = lock.acquire(false);
        if (r.r3) lock.release();
    }
}
