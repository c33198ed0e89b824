package io.pirt.threading;

/**
 * The one place where this package's priorities reach the operating system's scheduler.
 * The default does nothing: every ordering and inheritance guarantee of this package holds
 * without it.
 */
interface PrioritySink {
    PrioritySink NONE = new PrioritySink() {
        @Override
        public void threadStarted(Thread t) {
        }

        @Override
        public void effectivePriorityChanged(Thread t, int priority) {
        }
    };

    /** Called on {@code t}'s own carrier thread before {@code run()}, with its effective priority set. */
    void threadStarted(Thread t);

    /**
     * Called with the scheduler lock held whenever {@code t}'s effective priority changes
     * (priority inheritance begins, grows or ends). Must be quick and must not block.
     */
    void effectivePriorityChanged(Thread t, int priority);
}
