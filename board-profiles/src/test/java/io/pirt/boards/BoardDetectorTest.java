package io.pirt.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BoardDetectorTest {
    private static final BoardDetector DETECTOR = new BoardDetector(BoardProfiles.builtIn());

    @TempDir
    Path root;

    /** Writes a model file as the kernel does: the string followed by a NUL. */
    private Path writeModel(String relative, String model) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, (model + "\0").getBytes(StandardCharsets.US_ASCII));
        return file;
    }

    @ParameterizedTest
    @CsvSource({
            "Raspberry Pi 3 Model B Rev 1.2,         rpi-3b",
            "Raspberry Pi 3 Model B Plus Rev 1.3,    rpi-3b-plus",
            "Raspberry Pi 4 Model B Rev 1.4,         rpi-4b",
            "Raspberry Pi 5 Model B Rev 1.0,         rpi-5",
            "Raspberry Pi Zero 2 W Rev 1.0,          rpi-zero-2w",
            "Raspberry Pi Compute Module 4 Rev 1.0,  rpi-cm4",
    })
    void detectsEachBoardFromProcDeviceTreeModel(String model, String id) throws IOException {
        Path file = writeModel("proc/device-tree/model", model);
        Detection d = DETECTOR.detect(root);
        assertEquals(id, d.profile().id());
        assertEquals(model, d.model().orElseThrow(), "the trailing NUL is dropped");
        assertEquals(file, d.modelFile().orElseThrow());
        assertFalse(d.isVirtual());
        assertTrue(d.reason().contains(model), d.reason());
    }

    @Test
    void fallsBackToSysfsWhenProcHasNoDeviceTree() throws IOException {
        Path file = writeModel("sys/firmware/devicetree/base/model", "Raspberry Pi 4 Model B Rev 1.4");
        Detection d = DETECTOR.detect(root);
        assertEquals("rpi-4b", d.profile().id());
        assertEquals(file, d.modelFile().orElseThrow());
    }

    @Test
    void procModelWinsOverSysfsModel() throws IOException {
        writeModel("proc/device-tree/model", "Raspberry Pi 5 Model B Rev 1.0");
        writeModel("sys/firmware/devicetree/base/model", "Raspberry Pi 3 Model B Rev 1.2");
        assertEquals("rpi-5", DETECTOR.detect(root).profile().id());
    }

    @Test
    void noModelFileMeansTheVirtualBoardWithTheReason() {
        Detection d = DETECTOR.detect(root);
        assertEquals("virtual", d.profile().id());
        assertTrue(d.isVirtual());
        assertTrue(d.model().isEmpty());
        assertTrue(d.reason().contains("no device-tree model"), d.reason());
        assertTrue(d.reason().contains(root.resolve("proc/device-tree/model").toString()), d.reason());
    }

    @Test
    void unknownModelIsAnErrorNamingTheModelAndTheBoardFileOption() throws IOException {
        writeModel("proc/device-tree/model", "Raspberry Pi 2 Model B Rev 1.1");
        ProfileException e = assertThrows(ProfileException.class, () -> DETECTOR.detect(root));
        assertTrue(e.getMessage().contains("\"Raspberry Pi 2 Model B Rev 1.1\""), e.getMessage());
        assertTrue(e.getMessage().contains("--board-file PATH"), e.getMessage());
    }

    @Test
    void prefixMustEndAtAWordSoCompute_module4SIsNotACm4() throws IOException {
        writeModel("proc/device-tree/model", "Raspberry Pi Compute Module 4S Rev 1.0");
        ProfileException e = assertThrows(ProfileException.class, () -> DETECTOR.detect(root));
        assertTrue(e.getMessage().contains("Compute Module 4S"), e.getMessage());
    }

    @Test
    void modelWithoutRevisionStillMatches() throws IOException {
        writeModel("proc/device-tree/model", "Raspberry Pi Zero 2 W");
        assertEquals("rpi-zero-2w", DETECTOR.detect(root).profile().id());
    }

    @Test
    void emptyModelFileIsAnError() throws IOException {
        Path file = root.resolve("proc/device-tree/model");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {0});
        ProfileException e = assertThrows(ProfileException.class, () -> DETECTOR.detect(root));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
