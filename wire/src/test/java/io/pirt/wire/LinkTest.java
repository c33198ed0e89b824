package io.pirt.wire;

import io.pirt.wire.MemoryCable.Faults;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class LinkTest {
    /** Short timers so lost frames are repaired quickly in memory. */
    public static final Link.Config FAST = new Link.Config(16, 100, 10, 500, 60);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Records the first int of each delivered frame; counts down when {@code expected} arrived. */
    private static final class Numbers implements Link.Listener {
        final int[] seen;
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch all;
        final CountDownLatch lost = new CountDownLatch(1);
        final AtomicReference<String> lostReason = new AtomicReference<>();

        Numbers(int expected) {
            this.seen = new int[expected];
            this.all = new CountDownLatch(1);
        }

        @Override
        public void onText(byte[] bytes, int offset, int length) {}

        @Override
        public void onControl(Frame frame) {}

        @Override
        public void onFrame(Frame frame) {
            int n = count.getAndIncrement();
            int value = frame.payload().getInt();
            if (n < seen.length) seen[n] = value;
            if (n + 1 == seen.length) all.countDown();
        }

        @Override
        public void onSessionLost(long session, String reason) {
            lostReason.set(reason);
            lost.countDown();
        }

        @Override
        public void onClosed(String reason) {}
    }

    private static void sendNumbers(Link link, long session, int from, int to, int payloadBytes) throws InterruptedException {
        ByteBuffer payload = ByteBuffer.allocate(payloadBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            payload.clear();
            payload.putInt(i).position(payloadBytes).flip();
            assertEquals(Link.Offer.QUEUED, link.send(session, FrameType.CONSOLE_OUT, 0, payload, 10 * SECOND));
        }
    }

    @Test
    void sequencedFramesArriveOnceAndInOrderBothWaysOverAFaultyLine() throws Exception {
        int frames = 1500;
        MemoryCable cable = new MemoryCable(new Faults(4e-4, 3e-4, 3e-4), new Faults(4e-4, 3e-4, 3e-4), 42);
        Numbers atHost = new Numbers(frames);
        Numbers atBoard = new Numbers(frames);
        Link host = new Link("t-host", cable.hostIn(), cable.hostOut(), FAST, atHost);
        Link board = new Link("t-board", cable.boardIn(), cable.boardOut(), FAST, atBoard);
        try {
            host.start();
            board.start();
            long hs = host.openSession(16, 1024, 5000, 200);
            long bs = board.openSession(16, 1024, 5000, 200);
            Thread fromBoard = new Thread(() -> {
                try {
                    sendNumbers(board, bs, 0, frames, 300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "test-board-sender");
            fromBoard.start();
            sendNumbers(host, hs, 0, frames, 300);
            assertTrue(atBoard.all.await(20, TimeUnit.SECONDS), "board got " + atBoard.count.get());
            assertTrue(atHost.all.await(20, TimeUnit.SECONDS), "host got " + atHost.count.get());
            fromBoard.join(5000);
            for (int i = 0; i < frames; i++) {
                assertEquals(i, atBoard.seen[i], "board, position " + i);
                assertEquals(i, atHost.seen[i], "host, position " + i);
            }
            assertTrue(host.awaitAcknowledged(hs, 5 * SECOND) && board.awaitAcknowledged(bs, 5 * SECOND));
            assertEquals(frames, atBoard.count.get(), "no duplicates delivered");
            assertEquals(frames, atHost.count.get(), "no duplicates delivered");
            assertTrue(cable.faultsInjected() > 100, "faults injected: " + cable.faultsInjected());
            assertTrue(host.stats().retransmissions() > 0 && host.stats().framesRefused() + board.stats().framesRefused() > 0);
            System.out.printf("faulty line: %d faults, host %s, board %s%n", cable.faultsInjected(), host.stats(), board.stats());
        } finally {
            host.close();
            board.close();
        }
    }

    @Test
    void aSilentPeerEndsTheSessionAfterTheIdleTimeout() throws Exception {
        MemoryCable cable = MemoryCable.clean();
        Numbers events = new Numbers(1);
        Link host = new Link("t-idle", cable.hostIn(), cable.hostOut(), FAST, events);
        try {
            host.start();
            long s = host.openSession(16, 1024, 300, 100);
            long start = System.nanoTime();
            assertTrue(events.lost.await(5, TimeUnit.SECONDS));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs >= 250, "ended after " + tookMs + " ms");
            assertTrue(events.lostReason.get().contains("no frame from the peer for 300 ms"), events.lostReason.get());
            assertEquals(0, host.session());
            assertEquals(Link.Offer.NO_SESSION, host.send(s, FrameType.CONSOLE_OUT, 0, ByteBuffer.allocate(1), SECOND));
        } finally {
            host.close();
        }
    }

    @Test
    void damagedFramesKeepTheSessionButTypedTextDoesNot() throws Exception {
        MemoryCable cable = MemoryCable.clean();
        Numbers events = new Numbers(1);
        Link host = new Link("t-damaged", cable.hostIn(), cable.hostOut(), FAST, events);
        byte[] damaged = Frames.encode(FrameType.CONSOLE_OUT, 0, 0, 0, new byte[1000]);
        damaged[damaged.length / 2] ^= 0x10; // as a noisy line leaves a full-size frame: it fails its CRC
        byte[] typed = "typed on a terminal, no 0x00 in it\r".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            host.start();
            host.openSession(16, 1024, 300, 100);
            java.io.OutputStream peer = cable.boardOut();
            // Ten idle timeouts of damaged frames only, one every 50 ms: the session stays.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3000);
            while (System.nanoTime() < until) {
                peer.write(damaged);
                peer.flush();
                assertEquals(1, events.lost.getCount(), "the session ended while damaged frames arrived: " + events.lostReason.get());
                Thread.sleep(50); // the pace of a retransmitting peer, not synchronisation
            }
            assertTrue(host.stats().framesRefused() > 0);
            // Then typed text only: that is not a peer, and the session ends.
            long start = System.nanoTime();
            while (events.lost.getCount() > 0 && System.nanoTime() - start < 5 * SECOND) {
                peer.write(typed);
                peer.flush();
                events.lost.await(50, TimeUnit.MILLISECONDS);
            }
            assertTrue(events.lost.await(0, TimeUnit.SECONDS), "typed text kept the session open for 5 s");
            assertTrue(events.lostReason.get().contains("not even a damaged one"), events.lostReason.get());
        } finally {
            host.close();
        }
    }

    @Test
    void unacknowledgedFramesAreHandedBackInOrderAfterTheSessionEnds() throws Exception {
        MemoryCable cable = MemoryCable.clean(); // nobody reads the board end: nothing is acknowledged
        Link host = new Link("t-drain", cable.hostIn(), cable.hostOut(), FAST, new Numbers(1));
        try {
            host.start();
            long s = host.openSession(16, 1024, 5000, 1000);
            sendNumbers(host, s, 7, 10, 8);
            assertTrue(host.endSession(s));
            List<Integer> drained = new ArrayList<>();
            host.drainUnacknowledged(FrameType.CONSOLE_OUT, p -> drained.add(p.getInt()));
            assertEquals(List.of(7, 8, 9), drained);
            List<Integer> again = new ArrayList<>();
            host.drainUnacknowledged(FrameType.CONSOLE_OUT, p -> again.add(p.getInt()));
            assertEquals(List.of(), again, "drained once");
        } finally {
            host.close();
        }
    }

    /** STYLE rule 9, measured: frames through both links in steady state cost no heap on any of the four threads or the sender. */
    @Test
    void steadyStateSendingAndReceivingAllocatesNothing() throws Exception {
        MemoryCable cable = MemoryCable.clean();
        int batch = 1000;
        Numbers atBoard = new Numbers(2 * batch);
        Link host = new Link("t-alloc-host", cable.hostIn(), cable.hostOut(), FAST, new Numbers(1));
        Link board = new Link("t-alloc-board", cable.boardIn(), cable.boardOut(), FAST, atBoard);
        try {
            host.start();
            board.start();
            long hs = host.openSession(16, 1024, 5000, 1000);
            board.openSession(16, 1024, 5000, 1000);
            sendNumbers(host, hs, 0, batch, 1000); // warm up: JIT, first direct buffers
            assertTrue(host.awaitAcknowledged(hs, 10 * SECOND));

            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[] ids = linkThreadIds("t-alloc-");
            assertEquals(4, ids.length, "reader and writer of both links");
            long[] before = mx.getThreadAllocatedBytes(ids);
            ByteBuffer payload = ByteBuffer.allocate(1000).order(ByteOrder.LITTLE_ENDIAN);
            long senderBefore = mx.getCurrentThreadAllocatedBytes();
            for (int i = batch; i < 2 * batch; i++) {
                payload.clear();
                payload.putInt(i).position(1000).flip();
                host.send(hs, FrameType.CONSOLE_OUT, 0, payload, 10 * SECOND);
            }
            long sender = mx.getCurrentThreadAllocatedBytes() - senderBefore;
            assertTrue(atBoard.all.await(10, TimeUnit.SECONDS));
            assertTrue(host.awaitAcknowledged(hs, 10 * SECOND));
            long[] after = mx.getThreadAllocatedBytes(ids);
            long threads = 0;
            for (int i = 0; i < ids.length; i++) threads += after[i] - before[i];
            System.out.printf("%d frames of 1000 bytes: link threads allocated %d bytes, sender %d bytes%n",
                    batch, threads, sender);
            assertTrue(threads < 4096, "link threads allocated " + threads + " bytes for " + batch + " frames");
            assertTrue(sender < 4096, "sending allocated " + sender + " bytes for " + batch + " frames");
        } finally {
            host.close();
            board.close();
        }
    }

    static long[] linkThreadIds(String namePrefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pirt-link-" + namePrefix))
                .mapToLong(Thread::threadId).toArray();
    }
}
