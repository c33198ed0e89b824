package io.pirt.hal;

import io.pirt.threading.Periodic;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The application process's end of its link to the runtime: a Unix domain socket whose path
 * the runtime passes in {@code pirt.supervisor.socket}. Text lines, one message each
 * (docs/runtime.md, "Supervision link"). The application sends {@code hello PID},
 * {@code beat} every {@link #BEAT_MS} ms, {@code healthy}, and answers requests; the runtime
 * sends {@code ps}, {@code stop}, {@code gpio ...}, {@code i2c ...}, {@code spi ...}, {@code pwm ...}.
 */
final class SupervisorLink {
    static final long BEAT_MS = 250;
    private static volatile SupervisorLink current;

    private final SocketChannel channel;
    /**
     * Written only by the writer thread ({@link #write()}): the channel is interruptible, so a
     * write from a thread whose interrupt is set (an application thread told to stop that
     * prints as it ends, its output going to the runtime during a test run) would close the
     * link, and the process with it. No thread interrupts the writer.
     */
    private final OutputStream out;
    /** Lines to send, each with the latch its sender waits on; taken only by the writer thread. */
    private final java.util.concurrent.BlockingQueue<Outgoing> outgoing = new java.util.concurrent.LinkedBlockingQueue<>();
    /** Questions to the host awaiting their {@code host-reply}, by id. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.CompletableFuture<String[]>> hostAsks =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger nextAsk = new java.util.concurrent.atomic.AtomicInteger();

    private SupervisorLink(SocketChannel channel) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
    }

    static SupervisorLink current() {
        return current;
    }

    /** Connects to the runtime named by {@code pirt.supervisor.socket}, if any, and starts the heartbeat and the request reader. */
    static void connectIfSupervised() throws IOException {
        String path = System.getProperty("pirt.supervisor.socket");
        if (path == null) return;
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(path)));
        SupervisorLink link = new SupervisorLink(ch);
        current = link;
        daemon("pirt-supervisor-writer", link::write).start();
        link.send("hello " + ProcessHandle.current().pid());
        daemon("pirt-heartbeat", link::beat).start();
        daemon("pirt-supervisor-link", link::serve).start();
    }

    private static java.lang.Thread daemon(String name, Runnable r) {
        java.lang.Thread t = new java.lang.Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private record Outgoing(byte[] bytes, java.util.concurrent.CountDownLatch written) {
    }

    /**
     * Sends one line and returns once it is written, whatever the calling thread's interrupt
     * (which stays as it was); a broken link means the runtime is gone, and the process ends
     * with it.
     */
    void send(String line) {
        Outgoing o = new Outgoing((line + "\n").getBytes(StandardCharsets.UTF_8), new java.util.concurrent.CountDownLatch(1));
        outgoing.add(o);
        boolean interrupted = false;
        while (true) {
            try {
                o.written().await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // kept for the caller's next wait, once the line is out
            }
        }
        if (interrupted) java.lang.Thread.currentThread().interrupt();
    }

    /** The writer thread: writes the lines in the order they were sent. */
    private void write() {
        while (true) {
            Outgoing o;
            try {
                o = outgoing.take();
            } catch (InterruptedException e) {
                continue; // nothing interrupts this thread on purpose; it must outlive whoever tried
            }
            try {
                out.write(o.bytes());
                out.flush();
            } catch (IOException e) {
                lost(e);
            } finally {
                o.written().countDown();
            }
        }
    }

    /** {@code ask-host ID ACTION}, answered by {@code host-reply ID ok|failed|unsupported MESSAGE}. */
    String askHost(String action, long timeoutMs) {
        int id = nextAsk.incrementAndGet();
        java.util.concurrent.CompletableFuture<String[]> answer = new java.util.concurrent.CompletableFuture<>();
        hostAsks.put(id, answer);
        try {
            send("ask-host " + id + " " + action);
            String[] reply = answer.get(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            return switch (reply[0]) {
                case "ok" -> reply[1];
                case "unsupported" -> throw new UnsupportedOperationException(reply[1]);
                default -> throw new HalException("the host could not '" + action + "': " + reply[1]);
            };
        } catch (java.util.concurrent.TimeoutException e) {
            throw new HalException("the host did not answer '" + action + "' within " + timeoutMs + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new HalException("asking the host '" + action + "' failed: " + e.getCause());
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new io.pirt.threading.ThreadInterruptedException();
        } finally {
            hostAsks.remove(id);
        }
    }

    private void beat() {
        for (;;) {
            if (Supervisor.watchdogSatisfied()) send("beat");
            try {
                java.lang.Thread.sleep(BEAT_MS); // a timer, not a synchronisation: the beat is periodic by nature
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void serve() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                try {
                    handle(line);
                } catch (RuntimeException e) { // one bad request must not cut the link
                    send("error " + e);
                    System.err.println("pirt: the runtime's request '" + line + "' failed:");
                    e.printStackTrace();
                }
            }
            lost(new IOException("the runtime closed the supervision link"));
        } catch (IOException e) {
            lost(e);
        }
    }

    private void handle(String line) {
        String[] w = line.trim().split("\\s+");
        switch (w[0]) {
            case "ps" -> {
                StringBuilder reply = new StringBuilder("threads");
                for (Thread t : Threading.threads()) {
                    reply.append('\t').append(t.getName().replace('\t', ' ').replace('|', '/')).append('|').append(t.getIdent())
                            .append('|').append(t.getPriority()).append('|').append(t.getEffectivePriority()).append('|').append(t.getStatus())
                            .append('|');
                    Periodic.figuresOf(t).ifPresent(f -> reply.append(f.periodMicros()).append(',').append(f.wakeUps()).append(',')
                            .append(f.p99LatenessNanos()).append(',').append(f.maxLatenessNanos()).append(',').append(f.overruns()));
                }
                send(reply.toString());
            }
            case "latency" -> {
                Periodic.resetFigures();
                send("latency reset");
            }
            case "stop" -> {
                for (Thread t : Threading.threads()) t.interrupt();
            }
            case "gpio" -> send("gpio " + GpioRequests.answer(w));
            case "i2c", "spi", "pwm" -> send(w[0] + " " + BusRequests.answer(w));
            case "host-reply" -> { // host-reply ID STATUS MESSAGE...
                String[] parts = line.trim().split(" ", 4);
                var waiting = parts.length >= 3 ? hostAsks.get(Integer.parseInt(parts[1])) : null;
                if (waiting != null) waiting.complete(new String[] {parts[2], parts.length > 3 ? parts[3] : ""});
            }
            default -> send("error unknown request '" + w[0] + "'");
        }
    }

    private void lost(IOException e) {
        // Without its runtime the application must not run on unsupervised: end the process.
        System.err.println("pirt: lost the link to the runtime (" + e.getMessage() + "); stopping the application");
        Runtime.getRuntime().halt(3);
    }
}
