package io.pirt.threading;

/**
 * Threads waiting on one primitive, highest effective priority first and first-come
 * first-served among equal priorities.
 *
 * <p>Implementation notes: a doubly linked list kept sorted by {@link Waiter#key}
 * (descending); a new waiter goes after every waiter of the same or higher priority, so
 * order among equals is arrival order. A waiter whose priority changes while it waits
 * (it was boosted by priority inheritance) is moved as if it had just arrived at its new
 * priority. Lists are short (a handful of threads on a board), so insertion is a linear
 * walk; nothing here allocates. Every method must be called with {@link Scheduler#LOCK}
 * held.
 */
final class WaitQueue {
    /** The Lock whose holder inherits the priority of these waiters; null for other primitives. */
    final Lock lock;
    private Waiter head, tail;

    WaitQueue(Lock lock) {
        this.lock = lock;
    }

    boolean isEmpty() {
        return head == null;
    }

    Waiter first() {
        return head;
    }

    /** The highest priority of the waiters, or 0 when there are none. */
    int topPriority() {
        return head == null ? 0 : head.key;
    }

    void add(Waiter w) {
        w.key = w.thread.effectivePriority();
        w.queue = this;
        Waiter after = tail;
        while (after != null && after.key < w.key) {
            after = after.prev;
        }
        w.prev = after;
        w.next = after == null ? head : after.next;
        if (w.next == null) tail = w; else w.next.prev = w;
        if (after == null) head = w; else after.next = w;
    }

    void remove(Waiter w) {
        if (w.prev == null) head = w.next; else w.prev.next = w.next;
        if (w.next == null) tail = w.prev; else w.next.prev = w.prev;
        w.prev = w.next = null;
        w.queue = null;
    }

    Waiter removeFirst() {
        Waiter w = head;
        if (w != null) remove(w);
        return w;
    }

    /** Moves {@code w} to where a waiter arriving now with its thread's current priority would go. */
    void reorder(Waiter w) {
        remove(w);
        add(w);
    }

    /** The thread that inherits these waiters' priority: the Lock's holder, or null. */
    Thread holder() {
        return lock == null ? null : lock.holderUnderSchedulerLock();
    }
}
