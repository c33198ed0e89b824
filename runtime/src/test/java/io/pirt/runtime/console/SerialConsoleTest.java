package io.pirt.runtime.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.runtime.log.ConsoleLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The console outlives its port: whatever ends the link, the console says why and opens the device again. */
@Timeout(30)
class SerialConsoleTest {
    @TempDir
    Path state;

    /** A port whose input blocks until the port is closed, then ends. */
    private static class QuietPort implements ConsolePort {
        final CountDownLatch closed = new CountDownLatch(1);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public InputStream in() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        throw new IOException("interrupted while reading", e);
                    }
                    return -1;
                }
            };
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aLinkReaderThatDiesOnABugMakesTheConsoleSayWhyAndReopenThePort() throws Exception {
        ConsoleLog log = new ConsoleLog(state.resolve("log"), 100);
        AtomicInteger opened = new AtomicInteger();
        CountDownLatch reopened = new CountDownLatch(1);
        ConsolePort.Opener opener = () -> {
            if (opened.incrementAndGet() == 1) {
                return new QuietPort() {
                    @Override
                    public InputStream in() {
                        return new InputStream() {
                            @Override
                            public int read() {
                                throw new IllegalStateException("driver bug (as a test would have it)");
                            }
                        };
                    }
                };
            }
            reopened.countDown();
            return new QuietPort();
        };
        SerialConsole console = new SerialConsole(opener, "ttyTEST", log,
                new SerialConsole.Services("test-board", "0.0.0", null, null, Set.of(), null, null, 0));
        try {
            console.start();
            assertTrue(reopened.await(10, TimeUnit.SECONDS), "the console did not notice its link's reader died: the port was never reopened");
            String lost = log.recent(100).stream().filter(l -> l.contains("console ttyTEST lost (")).findFirst().orElse(null);
            assertTrue(lost != null && lost.contains("the link's reader stopped on a bug")
                    && lost.contains("IllegalStateException: driver bug (as a test would have it)"), "the log says why: " + log.recent(100));
        } finally {
            console.close();
            log.close();
        }
    }
}
