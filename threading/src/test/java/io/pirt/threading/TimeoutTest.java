package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's timeout rules, for every blocking call: a negative timeout waits without
 * bound, 0 does not wait, a timed wait never returns before its timeout and returns soon
 * after it, and a wait that is unblocked in time returns true.
 */
@Timeout(20)
class TimeoutTest {
    private static final long TIMEOUT_MS = 50;
    /** Slack allowed after a deadline: generous, the machine is shared. */
    private static final long LATE_MS = 1_000;

    static Stream<Arguments> callsWithNegativeTimeouts() {
        return BlockingCall.all().stream()
                .flatMap(c -> Stream.of(-1L, -1_000L, Long.MIN_VALUE).map(t -> Arguments.of(c, t)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.pirt.threading.BlockingCall#all")
    void timedWaitNeverReturnsBeforeItsTimeoutAndReturnsSoonAfter(Supplier<BlockingCall> fixture) {
        try (BlockingCall c = fixture.get()) {
            long startNanos = System.nanoTime();
            boolean result = c.call(TIMEOUT_MS);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            assertFalse(result, "nothing unblocked the call, so it must time out");
            assertTrue(elapsedMs >= TIMEOUT_MS, "returned after " + elapsedMs + " ms, before its " + TIMEOUT_MS + " ms timeout");
            assertTrue(elapsedMs < TIMEOUT_MS + LATE_MS, "returned " + elapsedMs + " ms after a " + TIMEOUT_MS + " ms timeout");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.pirt.threading.BlockingCall#all")
    void zeroTimeoutPollsWithoutWaiting(Supplier<BlockingCall> fixture) {
        try (BlockingCall c = fixture.get()) {
            long fastestNanos = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) { // the fastest of a few, so one scheduling hiccup cannot fail it
                long startNanos = System.nanoTime();
                assertFalse(c.call(0), "a poll of something unavailable fails");
                fastestNanos = Math.min(fastestNanos, System.nanoTime() - startNanos);
            }
            assertTrue(fastestNanos < TimeUnit.MILLISECONDS.toNanos(20), "a poll took " + fastestNanos / 1_000_000 + " ms");
        }
    }

    @ParameterizedTest(name = "{0} with timeout {1}")
    @MethodSource("callsWithNegativeTimeouts")
    void negativeTimeoutWaitsWithoutBoundUntilUnblocked(Supplier<BlockingCall> fixture, long timeoutMs) {
        try (BlockingCall c = fixture.get()) {
            AtomicBoolean result = new AtomicBoolean();
            Thread waiter = Threading.thread(() -> result.set(c.call(timeoutMs)));
            Await.parked(waiter.carrier(), c::isBlocker);
            assertEquals(java.lang.Thread.State.WAITING, waiter.carrier().getState(), "an unbounded wait parks without a deadline");
            c.unblock();
            Await.ended(waiter);
            assertTrue(result.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.pirt.threading.BlockingCall#all")
    void hugeTimeoutDoesNotOverflowIntoAPoll(Supplier<BlockingCall> fixture) {
        try (BlockingCall c = fixture.get()) {
            AtomicBoolean result = new AtomicBoolean();
            Thread waiter = Threading.thread(() -> result.set(c.call(Long.MAX_VALUE)));
            Await.parked(waiter.carrier(), c::isBlocker);
            c.unblock();
            Await.ended(waiter);
            assertTrue(result.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.pirt.threading.BlockingCall#all")
    void timedWaitUnblockedInTimeReturnsTrueAtOnce(Supplier<BlockingCall> fixture) {
        try (BlockingCall c = fixture.get()) {
            AtomicBoolean result = new AtomicBoolean();
            long[] elapsedNanos = new long[1];
            Thread waiter = Threading.thread(() -> {
                long startNanos = System.nanoTime();
                result.set(c.call(60_000));
                elapsedNanos[0] = System.nanoTime() - startNanos;
            });
            Await.parked(waiter.carrier(), c::isBlocker);
            assertEquals(java.lang.Thread.State.TIMED_WAITING, waiter.carrier().getState());
            c.unblock();
            Await.ended(waiter);
            assertTrue(result.get());
            assertTrue(elapsedNanos[0] < TimeUnit.SECONDS.toNanos(10), "woke only at its deadline");
        }
    }
}
