package io.pirt.threading;

/**
 * How this process's thread priorities reach the operating system's scheduler, decided
 * once, at first use (see {@link Threading#schedulingMode()}).
 */
public enum SchedulingMode {
    /** Linux SCHED_FIFO real-time priorities, one per level, from the configured table; boosts follow. */
    FIFO,
    /** Linux SCHED_OTHER with nice values in the same order (real-time scheduling was refused). */
    NICE,
    /** The operating system is not told: priorities order queues and inheritance inside the JVM only. */
    NONE
}
