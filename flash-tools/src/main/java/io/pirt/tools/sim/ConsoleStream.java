package io.pirt.tools.sim;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The board's console as the demo shows it: lines as they arrive (terminal control sequences
 * and prompts removed), commands typed into the shell, waits for a line with a timeout.
 */
final class ConsoleStream implements AutoCloseable {
    private final SerialPort port;
    private final PrintWriter out;
    private final java.lang.Thread reader;
    /** Complete lines seen so far, and the partial last one. Guarded by `lines`. */
    private final StringBuilder lines = new StringBuilder();
    private final StringBuilder partial = new StringBuilder();

    ConsoleStream(Path device, PrintWriter out) throws IOException {
        this.out = out;
        port = SerialPort.getCommPort(device.toString());
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 200, 0);
        if (!port.openPort()) throw new IOException("cannot open " + device + " (error " + port.getLastErrorCode() + ")");
        reader = new java.lang.Thread(this::read, "console-stream");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        InputStream in = port.getInputStream();
        byte[] buf = new byte[512];
        while (port.isOpen()) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                continue; // jSerialComm reports its 200 ms read timeout as an exception; the loop ends when the port closes
            }
            if (n <= 0) continue;
            String text = new String(buf, 0, n, StandardCharsets.UTF_8);
            synchronized (lines) {
                for (char c : text.toCharArray()) {
                    if (c == '\r') continue;
                    if (c != '\n') {
                        partial.append(c);
                        continue;
                    }
                    String line = partial.toString().replace("\u001b[K", "").replace("\b \b", "").replace("pirt> ", "");
                    partial.setLength(0);
                    if (line.isBlank()) continue;
                    lines.append(line).append('\n');
                    out.println("  | " + line);
                    out.flush();
                }
                lines.notifyAll();
            }
        }
    }

    /** Types a command into the shell. */
    void type(String command) {
        out.println("  > " + command);
        out.flush();
        byte[] b = (command + "\r").getBytes(StandardCharsets.UTF_8);
        port.writeBytes(b, b.length);
    }

    /** Waits at most {@code timeoutMs} for a line containing {@code text}; false if none came. */
    boolean await(String text, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lines) {
            while (lines.indexOf(text) < 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return false;
                lines.wait(left);
            }
            return true;
        }
    }

    /** Shows the console for {@code ms} milliseconds. */
    void watch(long ms) throws InterruptedException {
        java.lang.Thread.sleep(ms); // the demo's pacing: show the board running for a while
    }

    @Override
    public void close() {
        port.closePort();
    }
}
