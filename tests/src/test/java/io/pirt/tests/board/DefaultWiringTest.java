package io.pirt.tests.board;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.hal.Board;
import io.pirt.hal.I2cBus;
import io.pirt.hal.SpiDevice;
import io.pirt.tools.sim.DefaultWiring;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wiring the tool gives a virtual board fits the virtual profile, and its devices answer the application. */
class DefaultWiringTest {
    @Test
    void theDefaultWiringsSensorsAnswerOnTheVirtualBoard(@TempDir Path dir) throws Exception {
        BoardProfile virtual = BoardProfiles.builtIn().get("virtual");
        try (Board board = Board.open(virtual, Optional.of(DefaultWiring.writeTo(dir)));
             I2cBus i2c = board.i2c("i2c-1"); SpiDevice adc = board.spi("spi0.0")) {
            assertEquals(25.0, (short) i2c.readRegisterWord(0x48, 0) / 256.0, 1e-9, "the TMP102 reads 25 °C until set");
            board.simulatedBuses().orElseThrow().setVoltage("spi0.0", 1, 3.3);
            byte[] rx = adc.transfer((byte) 0x01, (byte) (0x80 | 1 << 4), (byte) 0);
            assertEquals(1023, (rx[1] & 3) << 8 | (rx[2] & 0xFF), "the MCP3008's reference is 3.3 V");
        }
    }
}
