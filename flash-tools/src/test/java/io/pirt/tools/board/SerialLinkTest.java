package io.pirt.tools.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.virtualboard.PseudoTerminal;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SerialLinkTest {

    /**
     * jSerialComm's own input stream leaves a blocked read blocked when closed, so a protocol
     * link closing its streams waited out its one-second bound for its reader on every tool
     * command. SerialLink's input ends it without closing the port (closing a jSerialComm port
     * under a read can crash the JVM), and the port closes afterwards.
     */
    @Test
    void closingTheInputEndsABlockedReadThenClosingTheLinkFreesThePort() throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            String path = pty.slavePath().toString();
            SerialLink link = SerialLink.open(path, 115200);
            CountDownLatch reading = new CountDownLatch(1);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                reading.countDown();
                try {
                    outcome.set(link.in().read(new byte[16])); // nothing comes: blocks
                } catch (IOException e) {
                    outcome.set(e);
                }
            }, "serial-link-test-reader");
            reader.setDaemon(true);
            reader.start();
            assertTrue(reading.await(10, TimeUnit.SECONDS));
            link.in().close();
            reader.join(10_000);
            assertFalse(reader.isAlive(), "the read is still blocked after its input was closed");
            assertEquals(-1, link.in().read(new byte[16]), "reads after close end at once: " + outcome.get());
            link.close(); // the reader is gone: now the port may close
            try (SerialLink again = SerialLink.open(path, 115200)) {
                assertEquals(path, again.path(), "the port is free again");
            }
        }
    }
}
