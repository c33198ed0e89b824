package io.pirt.tests.board;

import io.pirt.virtualboard.*;

import static org.junit.jupiter.api.Assertions.fail;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test support: a person's terminal on the host end of the cable (jSerialComm, as picocom
 * would be): type lines, expect output with a timeout.
 */
final class HostTerminal implements AutoCloseable {
    private final SerialPort port;
    private final StringBuilder seen = new StringBuilder();
    private final java.lang.Thread reader;
    /** Where the next expect() starts looking. Guarded by seen. */
    private int mark;

    HostTerminal(Path device) {
        port = SerialPort.getCommPort(device.toString());
        port.setBaudRate(115_200); // the runtime's console rate: a paced cable garbles bytes between ends at different rates
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 200, 0);
        if (!port.openPort()) fail("cannot open " + device + ": error " + port.getLastErrorCode());
        reader = new java.lang.Thread(this::read, "host-terminal");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        InputStream in = port.getInputStream();
        byte[] buf = new byte[1024];
        while (port.isOpen()) {
            try {
                int n = in.read(buf);
                if (n > 0) {
                    synchronized (seen) {
                        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        seen.notifyAll();
                    }
                }
            } catch (IOException e) {
                // jSerialComm signals its read timeout as an exception; a closed port ends the loop
            }
        }
    }

    void type(String line) {
        byte[] b = (line + "\r").getBytes(StandardCharsets.UTF_8);
        port.writeBytes(b, b.length);
    }

    /** Waits (at most {@code timeoutMs}) for {@code regex} in the output after the last match; returns the match. */
    String expect(String regex, long timeoutMs) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.DOTALL);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (seen) {
            for (;;) {
                Matcher m = p.matcher(seen);
                if (m.find(mark)) {
                    mark = m.end();
                    return m.group();
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) fail("no '" + regex + "' within " + timeoutMs + " ms; the console showed:\n" + seen.substring(mark));
                seen.wait(left);
            }
        }
    }

    @Override
    public void close() {
        port.closePort();
    }
}
