package io.pirt.threading;

/**
 * An acquired Lock, Semaphore or Condition, released by {@link #close()}: use it with
 * try-with-resources. Closing it twice releases twice.
 */
public interface Hold extends AutoCloseable {
    /** Releases what {@code hold()} acquired. Throws no checked exception. */
    @Override
    void close();
}
