package io.pirt.threading;

/**
 * Thrown by a blocking call of this package when the waiting thread is interrupted (the
 * runtime interrupts an application's threads to stop it). The thread's interrupt status
 * is still set when this is thrown, so the next blocking call throws too and the
 * application unwinds.
 */
public class ThreadInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception saying the calling thread was interrupted while it waited. */
    public ThreadInterruptedException() {
        super("interrupted while waiting");
    }
}
