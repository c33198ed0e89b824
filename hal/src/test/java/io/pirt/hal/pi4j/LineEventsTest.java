package io.pirt.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.Capability;
import io.pirt.boards.Pin;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import io.pirt.hal.internal.LibC;
import io.pirt.threading.ThreadInterruptedException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A watch of an input line, read with real poll(2) and read(2) from a pipe that stands in
 * for the kernel's event queue of the line (PipeChip): levels, kernel timestamps, dropped
 * events from sequence gaps, and stopping a taker blocked in poll.
 */
@Timeout(20)
class LineEventsTest {
    private static final Pin D17 = new Pin("D17", 17, OptionalInt.empty(), Set.of(Capability.GPIO), false, Optional.empty());
    private PipeChip chip;
    private InputLine line;

    @BeforeEach
    void request() {
        chip = new PipeChip();
        line = InputLine.request(LibC.get(), chip, D17, PinMode.INPUT_PULLUP, "D17 (line 17 of a pipe)");
    }

    @AfterEach
    void release() {
        line.close();
        chip.closeWriteEnds();
    }

    @Test
    void eachEventIsTakenWithItsLevelAndTheKernelsTimestamp() {
        LineEvents events = line.watch();
        chip.send(17, true, 1_000_000_123L, 1, false, 1_000_500_000L, 2);
        assertTrue(events.take(5_000));
        assertTrue(events.level());
        assertEquals(1_000_000_123L, events.nanos(), "the kernel's timestamp, not the time it was read");
        assertTrue(events.take(5_000));
        assertFalse(events.level());
        assertEquals(1_000_500_000L, events.nanos());
        assertEquals(0, events.takeDropped());
        events.close();
    }

    @Test
    void moreEventsThanOneReadTakesComeOutInOrder() {
        LineEvents events = line.watch();
        Object[] many = new Object[3 * 40];
        for (int i = 0; i < 40; i++) {
            many[3 * i] = i % 2 == 0;
            many[3 * i + 1] = 5_000L + i;
            many[3 * i + 2] = i + 1;
        }
        chip.send(17, many);
        for (int i = 0; i < 40; i++) {
            assertTrue(events.take(5_000), "event " + i);
            assertEquals(5_000L + i, events.nanos());
            assertEquals(i % 2 == 0, events.level());
        }
        assertEquals(0, events.takeDropped());
        events.close();
    }

    @Test
    void eventsTheKernelDroppedAreCountedFromTheSequenceGaps() {
        LineEvents events = line.watch();
        chip.send(17, true, 10L, 1, false, 20L, 2, true, 50L, 5); // 3 and 4 were dropped by a full queue
        assertTrue(events.take(5_000));
        assertTrue(events.take(5_000));
        assertEquals(0, events.takeDropped());
        assertTrue(events.take(5_000));
        assertEquals(50L, events.nanos());
        assertEquals(2, events.takeDropped());
        assertEquals(0, events.takeDropped(), "reset once taken");
        events.close();
    }

    @Test
    void eventsQueuedBeforeAWatchAreDiscardedAndTheirNumbersCarriedOn() {
        chip.send(17, true, 10L, 1, false, 20L, 2, true, 30L, 3);
        LineEvents events = line.watch();
        chip.send(17, false, 40L, 4);
        assertTrue(events.take(5_000));
        assertEquals(40L, events.nanos(), "the three before the watch are gone");
        assertEquals(0, events.takeDropped(), "4 follows 3: nothing dropped");
        events.close();

        LineEvents again = line.watch();
        chip.send(17, true, 60L, 6);
        assertTrue(again.take(5_000));
        assertEquals(1, again.takeDropped(), "the next watch of the line goes on from 4: 5 is missing");
        again.close();
    }

    @Test
    void takeTimesOutWhenNothingComes() {
        LineEvents events = line.watch();
        long start = System.nanoTime();
        assertFalse(events.take(30));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 29, "returned after " + ms + " ms");
        events.close();
    }

    @Test
    void wakeUpReleasesATakerBlockedInPollAtOnce() throws Exception {
        LineEvents events = line.watch();
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread taker = new Thread(() -> {
            entered.countDown();
            result.set(events.take(-1));
        }, "taker");
        taker.start();
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        awaitBlockedInNative(taker);
        long start = System.nanoTime();
        events.wakeUp();
        taker.join(5_000);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertFalse(taker.isAlive(), "still blocked after wakeUp");
        assertEquals(false, result.get());
        assertTrue(ms < LineEvents.INTERRUPT_CHECK_MS, "woke after " + ms + " ms: by the pipe, not the interrupt check");
        assertFalse(events.take(-1), "a woken watch takes nothing more");
        events.close();
        events.close(); // idempotent
        events.wakeUp(); // after close: nothing is written to the closed pipe
    }

    @Test
    void aQueuedEventIsTakenEvenWithTimeoutZero() {
        LineEvents events = line.watch();
        assertFalse(events.take(0));
        chip.send(17, true, 5L, 1);
        assertTrue(events.take(0));
        assertEquals(5L, events.nanos());
        events.close();
    }

    @Test
    void aWakeUpAtAnyMomentEndsTheTakerAndNeverHangsIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 200; i++) { // before, during and after the taker enters poll
                LineEvents events = line.watch();
                CountDownLatch started = new CountDownLatch(1);
                AtomicReference<Object> result = new AtomicReference<>();
                Thread taker = new Thread(() -> {
                    started.countDown();
                    try {
                        result.set(events.take(-1));
                    } finally {
                        events.close();
                    }
                }, "taker-" + i);
                taker.start();
                if (i % 2 == 0) started.await();
                events.wakeUp();
                taker.join();
                assertEquals(false, result.get(), "round " + i);
            }
        });
    }

    @Test
    void anInterruptedTakerThrowsWithinTheCheckInterval() throws Exception {
        LineEvents events = line.watch();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread taker = new Thread(() -> {
            try {
                events.take(-1);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "taker");
        taker.start();
        awaitBlockedInNative(taker);
        taker.interrupt();
        taker.join(5_000);
        assertFalse(taker.isAlive());
        assertTrue(thrown.get() instanceof ThreadInterruptedException, String.valueOf(thrown.get()));
        events.close();
    }

    @Test
    void closingTheLineWakesItsWatch() {
        LineEvents events = line.watch();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            Thread closer = new Thread(line::close, "closer");
            closer.start();
            assertFalse(events.take(-1), "a watch of a released line ends");
            closer.join();
        });
        assertEquals(32, chip.writeRaw(17, new byte[48]), "EPIPE: the line's read end is closed");
        events.close();
    }

    @Test
    void aTornEventRecordIsAnError() {
        LineEvents events = line.watch();
        assertEquals(0, chip.writeRaw(17, new byte[30]));
        HalException e = assertThrows(HalException.class, () -> events.take(5_000));
        assertEquals("D17 (line 17 of a pipe): read 30 bytes of edge events, not a multiple of the kernel's 48-byte"
                + " struct gpio_v2_line_event", e.getMessage());
        events.close();
    }

    /** Waits until {@code t} is RUNNABLE in native code (poll) or has left take: no sleep decides the test. */
    private static void awaitBlockedInNative(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.isNativeMethod() && e.getClassName().startsWith("com.sun.jna")) return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("thread " + t.getName() + " never blocked in poll");
    }
}
