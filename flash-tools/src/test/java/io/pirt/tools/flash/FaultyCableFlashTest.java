package io.pirt.tools.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.wire.Response;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import io.pirt.virtualboard.CableFaults;
import io.pirt.tools.Pirt;
import io.pirt.tools.Pirt.Run;
import io.pirt.tools.bench.LoopbackBoard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A flash over a cable that drops, flips and duplicates bytes (real pseudo-terminals, jSerialComm on
 * both ends): the board is handed the file only whole, with the SHA-256 the tool announced.
 */
@Timeout(120)
@Execution(ExecutionMode.CONCURRENT) // mostly waiting for the paced cable and retransmissions: beside the others (pom.xml)
class FaultyCableFlashTest {
    @TempDir
    Path dir;

    @Test
    void transferOverANoisyCableArrivesWholeOrNotAtAll() throws Exception {
        byte[] b = new byte[256 * 1024];
        new Random(11).nextBytes(b);
        Path bundle = Files.write(dir.resolve("app.pirt"), b);
        AtomicReference<Path> stored = new AtomicReference<>();
        CableFaults noise = CableFaults.noise(1e-4, 1e-4, 1e-4, 42);
        try (LoopbackBoard board = new LoopbackBoard(dir.resolve("board"), 921_600, noise,
                (session, command, argument) -> command.equals("install-wait") ? Response.ok(Messages.encode(InstallVerdict.committed("noise", "1.0.0"))) : Response.failed(Messages.encode(new Refusal(Refusal.NOT_SUPPORTED, "no"))),
                (name, file, sha) -> stored.set(Files.copy(file, dir.resolve("stored"))))) {
            Run run = Pirt.run("flash", "--port", board.port().toString(), "--baud", "921600", "--progress", "lines", bundle.toString());
            if (run.exitCode() == 0) {
                assertEquals(-1, Files.mismatch(bundle, stored.get()), "the board got a different file");
            } else {
                assertTrue(stored.get() == null, "a failed transfer handed a file on");
                assertTrue(run.err().startsWith("pirt: "), "a clear error: " + run.err());
            }
            assertEquals(0, run.exitCode(), "at 3e-4 faults per byte the protocol recovers: " + run);
        }
    }
}
