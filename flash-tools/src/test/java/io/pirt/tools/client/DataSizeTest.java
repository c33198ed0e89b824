package io.pirt.tools.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DATA size the host picks from the loss it measures (docs/protocol.md §6). */
class DataSizeTest {
    @Test
    void aCleanLineGetsTheLargestFrames() {
        assertEquals(1020, FileSender.chunkForLoss(0, 1020, 1020));
        assertEquals(1020, FileSender.chunkForLoss(0, 200, 1020), "back to full size once the loss is gone");
    }

    @Test
    void aLineLosingTwoThirdsOfKibFramesGetsFramesOfAboutATenth() {
        int n = FileSender.chunkForLoss(0.65, 1020, 1020); // 1e-3 errors per byte
        assertTrue(n >= 110 && n <= 160, "chose " + n);
        assertEquals(n, FileSender.chunkForLoss(1 - Math.pow(1 - 1e-3, n + 24), n, 1020), 2,
                "the choice is stable: measured again with its own frames it stays put");
    }

    @Test
    void aRareLossKeepsFullFramesAndATotalLossStaysAboveTheFloor() {
        assertEquals(1020, FileSender.chunkForLoss(0.01, 1020, 1020));
        assertEquals(64, FileSender.chunkForLoss(1.0, 1020, 1020));
    }
}
