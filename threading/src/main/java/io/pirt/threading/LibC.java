package io.pirt.threading;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** The Linux C library calls the scheduling layer needs. Each throws LastErrorException (errno) on failure. */
interface LibC extends Library {
    int SCHED_OTHER = 0, SCHED_FIFO = 1;
    /**
     * OR'd into sched_setscheduler's policy: threads and processes the thread creates start at
     * SCHED_OTHER, nice 0 (sched(7), "Resetting scheduling policy for child processes"; the
     * kernel's sched_fork applies it to every clone, threads included). sched_getscheduler
     * returns it OR'd in; /proc's stat field 41 (policy) does not show it. Once set, only a
     * thread with CAP_SYS_NICE may clear it.
     */
    int SCHED_RESET_ON_FORK = 0x40000000;
    int PRIO_PROCESS = 0;
    int MCL_CURRENT = 1, MCL_FUTURE = 2;
    int PR_SET_TIMERSLACK = 29;

    /**
     * The C library, loaded once.
     *
     * @throws LinkageError if JNA cannot load it (every call, with the first failure as cause)
     */
    static LibC get() {
        if (Holder.INSTANCE == null) throw new LinkageError("JNA cannot load the C library: " + Holder.ERROR, Holder.ERROR);
        return Holder.INSTANCE;
    }

    /** {@code param} is {@code struct sched_param}: one int, the priority. {@code pid} 0 is the calling thread. */
    int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

    int sched_getscheduler(int pid) throws LastErrorException;

    int sched_getparam(int pid, int[] param) throws LastErrorException;

    int setpriority(int which, int who, int prio) throws LastErrorException;

    int sched_setaffinity(int pid, NativeLong cpusetsizeBytes, long[] mask) throws LastErrorException;

    int mlockall(int flags) throws LastErrorException;

    /** {@code prctl(option, arg2, 0, 0, 0)} for the calling thread. */
    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    int geteuid();

    /**
     * Loads libc once, on first use; a failure is kept (not thrown from the initialiser, which
     * would hide it behind NoClassDefFoundError on every later call). The one place threading
     * loads the C library.
     */
    final class Holder {
        /** The C library, or null if it could not be loaded (then ERROR says why). */
        static final LibC INSTANCE;
        static final LinkageError ERROR;

        static {
            LibC c = null;
            LinkageError error = null;
            try {
                c = Native.load("c", LibC.class);
            } catch (LinkageError e) {
                error = e;
            }
            INSTANCE = c;
            ERROR = error;
        }

        private Holder() {
        }
    }
}
