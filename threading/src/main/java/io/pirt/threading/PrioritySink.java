package io.pirt.threading;

/**
 * The one place where this package's priorities reach the operating system's scheduler.
 * {@link #none(String)} does nothing (every ordering and inheritance guarantee of this
 * package holds without it); {@link LinuxScheduling} makes them Linux scheduling policies.
 */
interface PrioritySink {
    /** The mode in force. */
    SchedulingMode mode();

    /** One line for people: the mode and why it is in force. */
    String description();

    /** Called on {@code t}'s own carrier thread before {@code run()}, with its effective priority set. */
    void threadStarted(Thread t);

    /**
     * Called on {@code t}'s own carrier thread after {@code run()} has ended, if
     * {@link #threadStarted} returned for it.
     */
    default void threadEnded(Thread t) {
    }

    /**
     * Called with the scheduler lock held whenever {@code t}'s effective priority changes
     * (priority inheritance begins, grows or ends). Must be quick and must not block.
     */
    void effectivePriorityChanged(Thread t, int priority);

    /**
     * True if the threads this package starts all run on one CPU (pinned there): a waiting
     * thread then never spins before parking, since the thread that would wake it cannot run
     * meanwhile.
     */
    default boolean pinsToOneCpu() {
        return false;
    }

    /** A sink that tells the operating system nothing, for the reason given. */
    static PrioritySink none(String reason) {
        String line = "pirt: scheduling NONE: " + reason + "; priorities order wait queues and inheritance inside the JVM only";
        return new PrioritySink() {
            @Override
            public SchedulingMode mode() {
                return SchedulingMode.NONE;
            }

            @Override
            public String description() {
                return line;
            }

            @Override
            public void threadStarted(Thread t) {
            }

            @Override
            public void effectivePriorityChanged(Thread t, int priority) {
            }
        };
    }
}
