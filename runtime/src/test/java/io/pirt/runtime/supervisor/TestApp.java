package io.pirt.runtime.supervisor;

import io.pirt.hal.Supervisor;
import io.pirt.threading.Event;
import io.pirt.threading.Lock;
import io.pirt.threading.Periodic;
import io.pirt.threading.Thread;
import io.pirt.threading.ThreadInterruptedException;
import io.pirt.threading.Threading;

/** An application for the supervisor's tests; what it does is its first argument. */
public final class TestApp {
    /** How many lines of 1 MiB (and a few bytes) mode {@code long-lines} prints. */
    static final int LONG_LINES = 40;

    private TestApp() {
    }

    public static void main(String[] args) {
        switch (args.length == 0 ? "run" : args[0]) {
            case "exit" -> System.out.println("bye");
            case "native-properties" -> {
                System.out.println("jSerialComm.library.path=" + System.getProperty("jSerialComm.library.path")
                        + " jna.nounpack=" + System.getProperty("jna.nounpack"));
                // As Pi4J logs: through the SLF4J API, with whatever provider the class path has.
                org.slf4j.Logger pi4jLike = org.slf4j.LoggerFactory.getLogger("com.pi4j.test");
                pi4jLike.info("chatter at info");
                pi4jLike.warn("a warning at warn");
            }
            case "crash" -> throw new IllegalStateException("the application failed on purpose");
            case "sysexit" -> System.exit(7);
            case "hang" -> {
                Supervisor.watchdog(300);
                System.out.println("deadlocking");
                Lock lock = new Lock();
                lock.acquire();
                lock.acquire(); // never kicks the watchdog again
            }
            case "flood" -> {
                for (int i = 0; i < 20_000; i++) System.out.println("line " + i);
                System.out.println("flood done");
                waitUntilInterrupted();
            }
            case "long-lines" -> { // as an application that prints a buffer's dump on one line
                String mebibyte = "x".repeat(1 << 20);
                for (int i = 0; i < LONG_LINES; i++) System.out.println("long " + i + " " + mebibyte);
                System.out.println("short after long");
                waitUntilInterrupted();
            }
            case "threads" -> {
                Thread worker = new Thread(TestApp::waitUntilInterrupted, "sensor-worker");
                worker.start(Thread.PRIO_HIGHER);
                Threading.thread(TestApp::waitUntilInterrupted, Thread.PRIO_LOW);
                System.out.println("threads started");
                waitUntilInterrupted();
            }
            case "rtprio" -> { // what the kernel says a PRIO_HIGH thread runs at, and which threads of the process are real-time
                Thread t = new Thread(() -> System.out.println("kernel " + Threading.schedulingMode() + " " + kernelView()
                        + " realtime threads " + realtimeThreads()), "rt-probe");
                t.start(Thread.PRIO_HIGH);
                t.join();
                waitUntilInterrupted();
            }
            case "periodic" -> { // a 1 ms control loop, as an application's sampler
                Thread loop = new Thread(() -> {
                    Periodic every = Periodic.everyMicros(1_000);
                    try {
                        for (int i = 0; ; i++) {
                            every.waitNext();
                            if (i == 50) System.out.println("periodic running");
                        }
                    } catch (ThreadInterruptedException e) {
                        System.out.println("interrupted, unwinding sampler");
                    }
                }, "sampler");
                loop.start(Thread.PRIO_HIGH);
                waitUntilInterrupted();
            }
            case "buses" -> { // a thermostat's bones: a fan's duty follows the simulated TMP102, in percent
                io.pirt.hal.Board board = io.pirt.hal.Board.current();
                io.pirt.hal.I2cBus i2c = board.i2c("i2c-1");
                io.pirt.hal.PwmChannel fan = board.pwm("PWM0");
                fan.write(1_000_000, 250_000);
                Thread follower = new Thread(() -> {
                    Periodic every = Periodic.everyMicros(2_000);
                    double last = 25.0;
                    try {
                        for (;;) {
                            every.waitNext();
                            double celsius = (short) i2c.readRegisterWord(0x48, 0) / 256.0;
                            if (celsius != last) fan.setDuty(Math.max(0, Math.min(1, celsius / 100)));
                            last = celsius;
                        }
                    } catch (ThreadInterruptedException e) {
                        System.out.println("interrupted, unwinding follower");
                    }
                }, "follower");
                follower.start(Thread.PRIO_NORMAL);
                Supervisor.markHealthy();
                waitUntilInterrupted();
            }
            case "interrupted-healthy" -> { // a thread told to stop reports as it ends: the link must not close under it
                java.lang.Thread.currentThread().interrupt();
                Supervisor.markHealthy();
                System.out.println("interrupt kept: " + java.lang.Thread.interrupted());
                waitUntilInterrupted();
            }
            case "run" -> {
                Supervisor.markHealthy();
                System.out.println("running");
                waitUntilInterrupted();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** "policy=P rtprio=R" of the calling thread, from its stat line (fields 41 and 40, counted after the command's parenthesis). */
    private static String kernelView() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/task/" + Thread.current().getIdent() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3
            return "policy=" + f[41 - 3] + " rtprio=" + f[40 - 3];
        } catch (java.io.IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /**
     * The names of this process's threads at a real-time policy (proc(5) field 41: 1 SCHED_FIFO, 2 SCHED_RR),
     * sorted, as {@code ps -L -o comm,cls} would list them.
     */
    private static java.util.List<String> realtimeThreads() {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // the thread ended while listing
                }
                String policy = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[41 - 3];
                if (policy.equals("1") || policy.equals("2")) {
                    names.add(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                }
            }
        } catch (java.io.IOException e) {
            return java.util.List.of("unreadable: " + e.getMessage());
        }
        java.util.Collections.sort(names);
        return names;
    }

    private static void waitUntilInterrupted() {
        try {
            new Event().await();
        } catch (ThreadInterruptedException e) {
            System.out.println("interrupted, unwinding " + Thread.current().getName());
        }
    }
}
