package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Event: a flag, set wakes every waiter, await is true iff the flag was raised before or during the wait. */
@Timeout(20)
class EventTest {
    @Test
    void newEventIsClearAndSetAndClearMoveTheFlag() {
        Event e = new Event();
        assertFalse(e.isSet());
        e.set();
        assertTrue(e.isSet());
        e.set();
        assertTrue(e.isSet(), "set is idempotent");
        e.clear();
        assertFalse(e.isSet());
        e.clear();
        assertFalse(e.isSet());
    }

    @Test
    void awaitOnASetEventReturnsTrueAtOnce() {
        Event e = new Event();
        e.set();
        assertTrue(e.await());
        assertTrue(e.await(0));
        assertTrue(e.await(-1));
        assertTrue(e.await(60_000), "would take a minute if it waited");
        assertTrue(e.isSet(), "await does not consume the flag");
    }

    @Test
    void awaitZeroOnAClearEventReturnsFalse() {
        assertFalse(new Event().await(0));
    }

    @Test
    void clearMakesLaterAwaitsWaitAgain() {
        Event e = new Event();
        e.set();
        e.clear();
        assertFalse(e.await(20));
    }

    @Test
    void setWakesEveryWaiter() {
        Event e = new Event();
        AtomicInteger woken = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long timeoutMs = i % 2 == 0 ? -1 : 60_000; // unbounded and timed waiters alike
            Thread w = Threading.thread(() -> {
                if (e.await(timeoutMs)) woken.incrementAndGet();
            });
            Await.parked(w, e);
            waiters.add(w);
        }
        e.set();
        Await.ended(waiters.toArray(new Thread[0]));
        assertEquals(4, woken.get());
    }

    @Test
    void awaitIsTrueWhenSetDuringTheWaitEvenIfClearedBeforeItReturns() {
        Event e = new Event();
        AtomicBoolean result = new AtomicBoolean();
        Thread w = Threading.thread(() -> result.set(e.await(60_000)));
        Await.parked(w, e);
        e.set();
        e.clear();
        Await.ended(w);
        assertTrue(result.get(), "the flag was raised during the wait");
        assertFalse(e.isSet());
    }

    @Test
    void unboundedAwaitIsTrueWhenSetThenCleared() {
        Event e = new Event();
        AtomicBoolean result = new AtomicBoolean();
        Thread w = Threading.thread(() -> result.set(e.await()));
        Await.parked(w, e);
        e.set();
        e.clear();
        Await.ended(w);
        assertTrue(result.get());
    }

    @Test
    void setFromAForeignJavaThreadWakesAPirtWaiter() {
        Event e = new Event();
        AtomicBoolean result = new AtomicBoolean();
        Thread w = Threading.thread(() -> result.set(e.await(60_000)));
        Await.parked(w, e);
        java.lang.Thread setter = new java.lang.Thread(e::set, "foreign-setter");
        setter.start();
        Await.ended(setter);
        Await.ended(w);
        assertTrue(result.get());
    }
}
