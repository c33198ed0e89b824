package io.pirt.threading;

import static io.pirt.threading.Thread.PRIO_HIGHEST;
import static io.pirt.threading.Thread.PRIO_LOWEST;
import static io.pirt.threading.Thread.PRIO_NORMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Threading.thread (start in one call), Threading.threads and Threading.sleep. */
@Timeout(20)
class ThreadingTest {
    @Test
    void threadStartsFnAtNormalPriorityAndReturnsItsThread() {
        AtomicReference<Thread> ranAs = new AtomicReference<>();
        Thread t = Threading.thread(() -> ranAs.set(Thread.current()));
        assertNotNull(t.getIdent(), "returned started");
        Await.ended(t);
        assertSame(t, ranAs.get());
        assertEquals(PRIO_NORMAL, t.getPriority());
    }

    @Test
    void threadWithPriorityStartsAtThatPriority() {
        for (int prio = PRIO_LOWEST; prio <= PRIO_HIGHEST; prio++) {
            Thread t = Threading.thread(() -> { }, prio);
            assertEquals(prio, t.getPriority());
            Thread sized = Threading.thread(() -> { }, prio, 512);
            assertEquals(prio, sized.getPriority());
            Await.ended(t, sized);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, -1})
    void threadWithPriorityOutOfRangeThrowsAndStartsNothing(int prio) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        assertThrows(IllegalArgumentException.class, () -> Threading.thread(ran::countDown, prio));
        assertThrows(IllegalArgumentException.class, () -> Threading.thread(ran::countDown, prio, 0));
        assertThrows(IllegalArgumentException.class, () -> Threading.thread(ran::countDown, prio, 4096));
        // Proving that something did not happen takes a wait: a short one.
        assertFalse(ran.await(50, TimeUnit.MILLISECONDS), "fn must not run when the priority is rejected");
    }

    @Test
    void threadsListsLiveThreadsOrderedByIdent() {
        Event finish = new Event();
        Thread a = Threading.thread(finish::await);
        Thread b = Threading.thread(finish::await);
        Thread me = Thread.current();
        Thread notStarted = new Thread(() -> { });
        List<Thread> live = Threading.threads();
        assertTrue(live.containsAll(List.of(a, b, me)), "started and adopted threads are listed: " + live);
        assertFalse(live.contains(notStarted));
        for (int i = 1; i < live.size(); i++) {
            assertTrue(live.get(i - 1).getIdent() <= live.get(i).getIdent(), "ordered by ident: " + live);
        }
        finish.set();
        Await.ended(a, b);
        List<Thread> after = Threading.threads();
        assertFalse(after.contains(a) || after.contains(b), "ended threads are not listed: " + after);
    }

    @Test
    void threadsForgetsAdoptedThreadsThatEnded() {
        AtomicReference<Thread> adopted = new AtomicReference<>();
        java.lang.Thread foreign = new java.lang.Thread(() -> adopted.set(Thread.current()), "foreign-listed");
        foreign.start();
        Await.ended(foreign);
        assertFalse(Threading.threads().contains(adopted.get()));
    }

    @Test
    void sleepNeverReturnsEarlyAndReturnsSoonAfter() {
        long startNanos = System.nanoTime();
        Threading.sleep(50);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertTrue(elapsedMs >= 50, "slept only " + elapsedMs + " ms");
        assertTrue(elapsedMs < 1_050, "slept " + elapsedMs + " ms");
    }

    @Test
    void sleepZeroReturnsAtOnce() {
        long fastestNanos = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long startNanos = System.nanoTime();
            Threading.sleep(0);
            fastestNanos = Math.min(fastestNanos, System.nanoTime() - startNanos);
        }
        assertTrue(fastestNanos < TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void sleepWithNegativeTimeThrows() {
        assertThrows(IllegalArgumentException.class, () -> Threading.sleep(-1));
    }
}
