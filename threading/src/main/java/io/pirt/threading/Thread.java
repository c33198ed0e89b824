package io.pirt.threading;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An activity run in its own thread of control, with a priority from {@link #PRIO_LOWEST}
 * to {@link #PRIO_HIGHEST}. Give it a {@link Runnable} or override {@link #run()}, then
 * {@link #start(int)} it once.
 *
 * <p>A Thread runs on a {@code java.lang.Thread} of its own (it does not extend it, whose
 * {@code join}, {@code isAlive} and {@code getName} are final). {@link #current()} gives
 * the calling thread's Thread, adopting threads this package did not start (such as
 * {@code main}) at {@link #PRIO_NORMAL}.
 *
 * <p>What {@code run()} throws is kept in {@link #getExc()} and reported once on standard
 * error with the thread's name. {@link #getIdent()} is the Linux thread id where there is
 * one (else the JVM's thread id), available from the return of {@code start()} and kept
 * after the thread ends.
 *
 * <p>Thread-safe. Actions of a thread happen-before another thread returns from
 * {@code join()} on it having seen it end.
 */
public class Thread {
    public static final int PRIO_LOWEST = 1, PRIO_LOWER = 2, PRIO_LOW = 3,
            PRIO_NORMAL = 4, PRIO_HIGH = 5, PRIO_HIGHER = 6, PRIO_HIGHEST = 7;

    private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(1);
    private static final ThreadLocal<Thread> ADOPTED = ThreadLocal.withInitial(Thread::adoptCurrent);
    /**
     * The Thread of each thread pirt did not start, by its Java thread: made by that thread
     * itself (current()) or by another one that found it holding a Lock (of()). Entries of
     * ended threads are dropped as new ones come. Guarded by itself.
     */
    private static final Map<java.lang.Thread, Thread> FOREIGN = new HashMap<>();
    /** Threads started and not ended, and adopted threads (pruned once their Java thread ends). */
    private static final Set<Thread> LIVE = ConcurrentHashMap.newKeySet();

    private final Runnable target;
    /** True for a Thread that stands for a thread pirt did not start (see current()). */
    private final boolean adopted;
    private volatile String name;

    /** Set once by start(); false forever before it. Guarded by this. */
    private boolean started;
    /** The carrier; null before start() (and for adopted threads, the foreign thread itself). */
    private volatile java.lang.Thread carrier;
    /** Linux thread id (or JVM id); null until the carrier has published it, never changed after. */
    private volatile Integer ident;
    private volatile Throwable exc;
    /** Set when run() has ended; join() waits on it. */
    private final Event ended = new Event();
    /** Own priority: as given to start(), PRIO_NORMAL before. */
    private volatile int priority = PRIO_NORMAL;
    /** Own priority raised by priority inheritance; written under Scheduler.LOCK. */
    private volatile int effectivePriority = PRIO_NORMAL;

    /** Set under Scheduler.LOCK once run() has ended: the OS must not be told about this thread's id any more. */
    private boolean exited;
    /** True once the OS scheduler was given this thread's level. */
    private volatile boolean nativePriorityApplied;
    /** The periodic schedule this thread last waited on, for its figures in {@code ps}; null if none. */
    volatile Periodic schedule;

    /** Locks this thread holds that have waiters (they raise its effective priority). Guarded by Scheduler.LOCK. */
    final List<Lock> contendedLocks = new ArrayList<>(2);
    /** The waiter this thread is blocked as, null when not blocked in a queue. Guarded by Scheduler.LOCK. */
    Waiter blockedOn;
    /** This thread's waiter, made on its first wait; only this thread calls waiter(). */
    private Waiter waiter;

    /** A thread whose activity is this object's {@link #run()}, overridden by a subclass. */
    public Thread() {
        this(null, null);
    }

    /** A thread that runs {@code target}; named "Thread-N". */
    public Thread(Runnable target) {
        this(target, null);
    }

    /** A thread that runs {@code target} (may be null: nothing runs), named {@code name} or, if null, "Thread-N". */
    public Thread(Runnable target, String name) {
        this(target, name, false);
    }

    private Thread(Runnable target, String name, boolean adopted) {
        this.target = target;
        this.name = name != null ? name : "Thread-" + NEXT_NUMBER.getAndIncrement();
        this.adopted = adopted;
    }

    /** The calling foreign thread's record, made now if no other thread made it before; its ident is read here. */
    private static Thread adoptCurrent() {
        Thread t = of(java.lang.Thread.currentThread());
        if (t.ident == null) t.ident = Idents.currentThreadIdent();
        return t;
    }

    /**
     * The Thread that stands for {@code javaThread}: its own for a thread pirt started; for
     * another, a record made on first need (running, at PRIO_NORMAL, already "started"; its
     * ident is known once the thread itself calls {@link #current()}).
     */
    static Thread of(java.lang.Thread javaThread) {
        if (javaThread instanceof Carrier c) return c.thread;
        synchronized (FOREIGN) {
            Thread t = FOREIGN.get(javaThread);
            if (t == null) {
                FOREIGN.keySet().removeIf(j -> !j.isAlive());
                t = new Thread(null, javaThread.getName(), true);
                t.started = true;
                t.carrier = javaThread;
                FOREIGN.put(javaThread, t);
                LIVE.add(t);
            }
            return t;
        }
    }

    /**
     * The calling thread's Thread. For a thread this package did not start, a Thread that
     * stands for it is made on first call (named as the Java thread, PRIO_NORMAL, alive;
     * {@code start()} and {@code join()} on it throw).
     */
    public static Thread current() {
        java.lang.Thread self = java.lang.Thread.currentThread();
        return self instanceof Carrier c ? c.thread : ADOPTED.get();
    }

    /**
     * The effective priority of the calling thread, without adopting it: for a thread pirt
     * did not start, PRIO_NORMAL, which it runs at unless a Lock it holds has boosted it. An
     * underestimate only makes a grant finish under the scheduler lock (see
     * Scheduler.mayFinishLater), the conservative way.
     */
    static int currentPriority() {
        return java.lang.Thread.currentThread() instanceof Carrier c ? c.thread.effectivePriority() : PRIO_NORMAL;
    }

    /** Starts the thread at {@link #PRIO_NORMAL} with the platform's default stack. */
    public void start() {
        start(PRIO_NORMAL, 0);
    }

    /** Starts the thread at {@code prio} with the platform's default stack. */
    public void start(int prio) {
        start(prio, 0);
    }

    /**
     * Starts the thread's activity at priority {@code prio}, with a stack of {@code size}
     * bytes (a hint the JVM may round up; {@code size <= 0} means the platform's default).
     * Returns once the new thread exists and its ident is known.
     *
     * @throws IllegalArgumentException if {@code prio} is outside PRIO_LOWEST..PRIO_HIGHEST
     * @throws IllegalStateException if this thread was already started
     */
    public void start(int prio, int size) {
        checkPriority(prio);
        Scheduler.sink(); // decide the scheduling mode now, on the starting thread; if that fails nothing has changed
        synchronized (this) {
            if (started) throw new IllegalStateException("thread " + name + " was already started; a thread can be started once");
            started = true;
        }
        Carrier c;
        try {
            priority = prio;
            effectivePriority = prio;
            c = new Carrier(this, size);
            carrier = c;
            LIVE.add(this);
            c.start();
        } catch (RuntimeException | Error e) { // e.g. OutOfMemoryError "unable to create native thread": it never ran
            LIVE.remove(this);
            carrier = null;
            priority = effectivePriority = PRIO_NORMAL;
            synchronized (this) {
                started = false;
            }
            throw e;
        }
        awaitIdent(c);
    }

    /**
     * Waits for the new thread's ident, deaf to interrupts: the thread runs whatever happens,
     * so start() must not throw now. A pending interrupt stays set for the caller's next wait.
     */
    private static void awaitIdent(Carrier c) {
        boolean interrupted = false;
        for (;;) {
            try {
                c.identPublished.await();
                break;
            } catch (ThreadInterruptedException e) {
                interrupted = true;
                java.lang.Thread.interrupted();
            }
        }
        if (interrupted) java.lang.Thread.currentThread().interrupt();
    }

    static void checkPriority(int prio) {
        if (prio < PRIO_LOWEST || prio > PRIO_HIGHEST) {
            throw new IllegalArgumentException("priority " + prio + " is outside PRIO_LOWEST (" + PRIO_LOWEST
                    + ") .. PRIO_HIGHEST (" + PRIO_HIGHEST + ")");
        }
    }

    /** The thread's activity: runs the target given to the constructor, if any. Override it in a subclass. */
    public void run() {
        if (target != null) target.run();
    }

    /**
     * Interrupts the thread: the blocking call it is in (or its next one) throws
     * {@link ThreadInterruptedException}. The runtime does this to stop an application. Does
     * nothing before start() or after the thread ended.
     */
    public void interrupt() {
        java.lang.Thread c = carrier;
        if (c != null && !ended.isSet()) c.interrupt();
    }

    /** Waits until this thread ends, without bound. */
    public void join() {
        join(-1);
    }

    /**
     * Waits until this thread ends or {@code timeoutMs} passes (negative: no bound; 0: do
     * not wait). Returns nothing; call {@link #isAlive()} to tell whether it timed out.
     *
     * @throws IllegalStateException if the thread was not started, or is the calling thread
     * @throws ThreadInterruptedException if the caller is interrupted while waiting
     */
    public void join(long timeoutMs) {
        synchronized (this) {
            if (!started) throw new IllegalStateException("cannot join thread " + name + ": it was not started");
        }
        if (this == current()) throw new IllegalStateException("thread " + name + " cannot join itself");
        if (carrier != null && !(carrier instanceof Carrier)) {
            throw new IllegalStateException("cannot join thread " + name + ": it was not started by pirt");
        }
        ended.await(timeoutMs);
    }

    /** True from {@code start()} until just after {@code run()} ends. */
    public boolean isAlive() {
        java.lang.Thread c = carrier;
        return c != null && !ended.isSet() && (c instanceof Carrier || c.isAlive());
    }

    public String getName() {
        return name;
    }

    /** Renames the thread (its carrier too, so stack dumps agree). */
    public void setName(String name) {
        this.name = name;
        java.lang.Thread c = carrier;
        if (c instanceof Carrier) c.setName(name);
    }

    /** The Linux thread id (the JVM's thread id where there is none); null before start(), kept after exit. */
    public Integer getIdent() {
        return ident;
    }

    /** What {@code run()} threw, or null. */
    public Throwable getExc() {
        return exc;
    }

    /**
     * What the thread is doing, for people: "new", "running", "blocked" (on a Java monitor),
     * "waiting" (in a Lock, Semaphore, Condition, Event, join or sleep, without or with a
     * timeout: "waiting (timed)"), or "ended".
     */
    public String getStatus() {
        java.lang.Thread c = carrier;
        if (c == null) return "new";
        if (ended.isSet()) return "ended";
        return switch (c.getState()) {
            case NEW, RUNNABLE -> "running";
            case BLOCKED -> "blocked";
            case WAITING -> "waiting";
            case TIMED_WAITING -> "waiting (timed)";
            case TERMINATED -> "ended";
        };
    }

    /** The threads of this process that pirt knows and that have not ended: started ones and adopted ones. */
    static List<Thread> live() {
        LIVE.removeIf(t -> t.adopted && !t.carrier.isAlive());
        List<Thread> all = new ArrayList<>(LIVE);
        all.sort(java.util.Comparator.comparing(t -> t.ident == null ? Integer.MAX_VALUE : t.ident));
        return all;
    }

    /** The priority given to {@code start()}; PRIO_NORMAL before. */
    public int getPriority() {
        return priority;
    }

    /** The priority the thread runs at now: its own, or higher while it holds a Lock a higher-priority thread waits for. */
    public int getEffectivePriority() {
        return effectivePriority;
    }

    int effectivePriority() {
        return effectivePriority;
    }

    /** Caller holds Scheduler.LOCK. */
    void setEffectivePriority(int p) {
        effectivePriority = p;
    }

    /** The calling thread's waiter, reset for a new wait. Call only on this Thread's own Java thread. */
    Waiter waiter() {
        Waiter w = waiter;
        if (w == null) waiter = w = new Waiter(this);
        return w.reset();
    }

    boolean isAdopted() {
        return adopted;
    }

    /** True once run() has ended (for an adopted thread: once its Java thread has). Caller holds Scheduler.LOCK. */
    boolean hasExited() {
        return exited || adopted && !carrier.isAlive();
    }

    boolean nativePriorityApplied() {
        return nativePriorityApplied;
    }

    void markNativePriorityApplied() {
        nativePriorityApplied = true;
    }

    /** The carrier this thread runs on, or null before start(). */
    java.lang.Thread carrier() {
        return carrier;
    }

    @Override
    public String toString() {
        return "Thread[" + name + ", ident=" + ident + ", prio=" + priority + ", effective=" + effectivePriority + "]";
    }

    /** Runs on the carrier: publish the ident, let the OS know the priority, run, record what was thrown. */
    private void runOnCarrier(Carrier c) {
        boolean sinkStarted = false;
        try {
            try {
                ident = Idents.currentThreadIdent();
            } finally {
                c.identPublished.set(); // start() must return even if the ident could not be read
            }
            Scheduler.sink().threadStarted(this);
            sinkStarted = true;
            run();
        } catch (Throwable e) {
            exc = e;
            report(e);
        } finally {
            if (sinkStarted) Scheduler.sink().threadEnded(this);
            Scheduler.LOCK.lock();
            try {
                exited = true;
            } finally {
                Scheduler.LOCK.unlock();
            }
            LIVE.remove(this);
            ended.set();
        }
    }

    /**
     * Writes the uncaught exception once, with the thread's name, in one write so lines don't
     * interleave. A thread unwound by an interrupt (the runtime stopping the application) gets
     * one line, not a stack trace.
     */
    private void report(Throwable e) {
        if (e instanceof ThreadInterruptedException) {
            System.err.println("Thread \"" + name + "\" stopped: interrupted while waiting");
            return;
        }
        StringWriter text = new StringWriter();
        text.append("Exception in thread \"").append(name).append("\" ");
        e.printStackTrace(new PrintWriter(text, true));
        System.err.print(text);
        System.err.flush();
    }

    /** The java.lang.Thread a pirt Thread runs on; lets current() find its Thread without a lookup. */
    static final class Carrier extends java.lang.Thread {
        final Thread thread;
        final Event identPublished = new Event();

        Carrier(Thread thread, int stackSizeBytes) {
            super(null, null, thread.name, Math.max(0, stackSizeBytes));
            this.thread = thread;
        }

        @Override
        public void run() {
            thread.runOnCarrier(this);
        }
    }
}
