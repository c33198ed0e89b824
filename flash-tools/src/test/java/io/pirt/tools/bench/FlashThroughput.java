package io.pirt.tools.bench;

import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.Link;
import io.pirt.wire.Response;
import io.pirt.virtualboard.CableFaults;
import io.pirt.tools.board.BoardSession;
import io.pirt.tools.board.SerialLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark: a transfer (what {@code pirt flash} sends) over a virtual cable paced like a
 * UART, into a {@link LoopbackBoard}, for incompressible data and for a typical jar. Prints
 * the file bytes per second the board received as a fraction of the line rate
 * ({@code baud/10} bytes/s); the target for incompressible data is at least 0.9
 * (docs/protocol.md §8). A jar deflates, so its fraction may exceed 1.
 *
 * <pre>java -cp 'flash-tools/target/pirt-flash-tools-VERSION.jar:flash-tools/target/lib/*' \
 *     io.pirt.tools.bench.FlashThroughput [SIZE_KIB [BAUD...]]</pre>
 *
 * Defaults: 1024 KiB at 115200 and 921600 baud. The jar is {@code -Dbench.jar=PATH}, or else
 * the largest jar on the class path, cut to the size (repeated when shorter); SIZE_KIB 0 sends
 * the file whole, e.g. a bundle ({@code -Dbench.jar=demo-1.0.0.pirt}: what its deflate gains,
 * docs/tool.md). It prints the file's deflated size first. {@code -Dbench.minRtoMs=MS} raises
 * the client's minimum retransmission timeout (an experiment on spurious retransmissions).
 */
public final class FlashThroughput {
    private FlashThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int sizeKib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        List<Integer> bauds = new ArrayList<>();
        for (int i = 1; i < args.length; i++) bauds.add(Integer.parseInt(args[i]));
        if (bauds.isEmpty()) bauds = List.of(115200, 921600);
        Path dir = Files.createTempDirectory("pirt-bench-");
        Path jarSource = System.getProperty("bench.jar") != null ? Path.of(System.getProperty("bench.jar")) : largestJarOnClassPath();
        byte[] whole = Files.readAllBytes(jarSource);
        byte[] jar = sizeKib == 0 ? whole : prefix(whole, sizeKib * 1024);
        byte[] random = new byte[jar.length];
        new Random(42).nextBytes(random);
        Path randomFile = Files.write(dir.resolve("random.bin"), random);
        Path jarFile = Files.write(dir.resolve("typical.jar"), jar);
        System.out.printf(Locale.ROOT, "transfer of %d bytes over a paced virtual cable into a loopback board%n", jar.length);
        System.out.printf(Locale.ROOT, "jar: %s %d bytes of %s%n", sizeKib == 0 ? "all" : "the first", jar.length, jarSource.getFileName());
        long deflated = deflatedSize(jar);
        System.out.printf(Locale.ROOT, "jar deflated as pirt flash deflates it: %d bytes, %.1f%% of %d (%s)%n", deflated,
                100.0 * deflated / jar.length, jar.length, deflated <= jar.length * 0.98 ? "sent deflated" : "sent as is: under 2% smaller");
        System.out.printf(Locale.ROOT, "%8s  %-14s  %10s  %10s  %10s  %8s  %s%n", "BAUD", "DATA", "WIRE_B", "SECONDS",
                "FILE_B/S", "OF_LINE", "RETRANSMITTED");
        for (int baud : bauds) {
            run(dir.resolve("b" + baud + "r"), baud, "incompressible", randomFile);
            run(dir.resolve("b" + baud + "j"), baud, "jar", jarFile);
        }
    }

    private static void run(Path dir, int baud, String label, Path file) throws Exception {
        try (LoopbackBoard board = new LoopbackBoard(dir, baud, CableFaults.NONE, (s, c, a) -> Response.ok(""),
                (name, f, sha) -> { });
             SerialLink link = SerialLink.open(board.port().toString(), baud)) {
            BoardClient.Options options = BoardSession.clientOptions(5000, 30_000);
            if (Long.getLong("bench.minRtoMs") != null) {
                Link.Config d = options.link();
                options = options.withLink(new Link.Config(d.receiveWindow(), Math.max(d.initialRtoMs(), Long.getLong("bench.minRtoMs")),
                        Long.getLong("bench.minRtoMs"), d.maxRtoMs(), d.maxTransmissions()));
            }
            BoardClient client = BoardClient.connect(link.in(), link.out(), options, (s, l) -> { });
            try {
                TransferReport r = client.transfer(file, "bench.bin", null);
                double seconds = r.elapsedMillis() / 1000.0;
                double rate = r.fileBytes() / seconds;
                System.out.printf(Locale.ROOT, "%8d  %-14s  %10d  %10.2f  %10.0f  %8.3f  %d frames%n", baud, label, r.wireBytes(),
                        seconds, rate, rate / (baud / 10.0), client.linkStats().retransmissions());
            } finally {
                client.close();
            }
        }
    }

    /** As BoardClient deflates a file: raw deflate (nowrap), default level. */
    private static long deflatedSize(byte[] data) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(data);
            d.finish();
            byte[] buffer = new byte[64 * 1024];
            long n = 0;
            while (!d.finished()) n += d.deflate(buffer);
            return n;
        } finally {
            d.end();
        }
    }

    private static Path largestJarOnClassPath() throws IOException {
        Path best = null;
        long bestSize = -1;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar")) continue;
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && Files.size(p) > bestSize) {
                best = p;
                bestSize = Files.size(p);
            }
        }
        if (best == null) throw new IOException("no jar on the class path to take a typical jar from");
        return best;
    }

    private static byte[] prefix(byte[] data, int size) {
        if (data.length >= size) return java.util.Arrays.copyOf(data, size);
        byte[] out = new byte[size];
        for (int at = 0; at < size; at += data.length) System.arraycopy(data, 0, out, at, Math.min(data.length, size - at));
        return out;
    }
}
