package io.pirt.runtime.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleLogTest {
    @TempDir
    Path dir;

    @Test
    void aLogEndingInHalfAUtf8CharacterOpensSaysSoAndKeepsLogging() throws Exception {
        ByteArrayOutputStream torn = new ByteArrayOutputStream();
        torn.writeBytes("[app] before the power cut\n".getBytes(StandardCharsets.UTF_8));
        byte[] euro = "[app] 10 €".getBytes(StandardCharsets.UTF_8);
        torn.writeBytes(Arrays.copyOf(euro, euro.length - 1)); // the write tore inside the 3-byte €
        Files.write(dir.resolve("console.log"), torn.toByteArray());

        ConsoleLog log = new ConsoleLog(dir, 100);
        try {
            log.runtime("after the restart");
            List<String> recent = log.recent(10);
            assertEquals("[app] before the power cut", recent.get(0));
            assertEquals("[app] 10 \uFFFD", recent.get(1));
            assertTrue(recent.get(2).startsWith("[pirt] the log file " + dir.resolve("console.log") + " held damaged bytes")
                    && recent.get(2).contains("from byte " + (torn.size() - 2)), recent.get(2));
            assertEquals("[pirt] after the restart", recent.get(3));
            assertEquals(4, recent.size());
        } finally {
            log.close();
        }

        List<String> onDisk = Files.readAllLines(dir.resolve("console.log"), StandardCharsets.ISO_8859_1);
        assertEquals("[pirt] after the restart", onDisk.get(onDisk.size() - 1), "the torn line stays apart from the next");
        ConsoleLog reopened = new ConsoleLog(dir, 100); // still damaged on disk: opens again
        reopened.close();
    }
}
