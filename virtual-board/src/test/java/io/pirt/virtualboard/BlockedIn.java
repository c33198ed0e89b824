package io.pirt.virtualboard;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Test support: returns once a thread is blocked inside a given method, so that a test can
 * act on a blocked call rather than on one that has not started yet; fails after
 * {@link #BOUND_MS}.
 *
 * <p>The one place these tests poll: being blocked is the absence of activity, so there is
 * nothing to wait for but the thread's state and stack. A thread parked on a Condition is
 * {@code WAITING}/{@code TIMED_WAITING}; one waiting in a native call such as poll(2) is
 * {@code RUNNABLE} with a native frame on top, so both count when {@code method} is on the
 * stack.
 */
public final class BlockedIn {
    /** How long any single step of a test may take before it counts as hung. */
    public static final long BOUND_MS = 5_000;

    private BlockedIn() {
    }

    /** Returns once {@code t} is waiting (parked, or in a native call) with {@code className.method} on its stack. */
    public static void await(Thread t, String className, String method) {
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (true) {
            Thread.State state = t.getState();
            StackTraceElement[] stack = t.getStackTrace();
            boolean waiting = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || (state == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod());
            if (waiting && contains(stack, className, method)) return;
            if (state == Thread.State.TERMINATED) fail(t.getName() + " ended instead of blocking in " + className + "." + method);
            if (System.nanoTime() - deadlineNanos > 0) {
                fail(t.getName() + " did not block in " + className + "." + method + " within " + BOUND_MS + " ms (state " + state + ")");
            }
            LockSupport.parkNanos(100_000); // a light poll: the machine is shared
        }
    }

    private static boolean contains(StackTraceElement[] stack, String className, String method) {
        for (StackTraceElement e : stack) {
            if (e.getClassName().equals(className) && e.getMethodName().equals(method)) return true;
        }
        return false;
    }
}
