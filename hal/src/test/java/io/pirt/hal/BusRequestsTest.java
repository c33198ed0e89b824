package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.hal.sim.SimulatedGpio;
import io.pirt.hal.sim.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell's i2c, spi and pwm requests carried out on a board: the lines the supervision link answers with. */
class BusRequestsTest {
    private static final BoardProfile VIRTUAL = BoardProfiles.builtIn().get("virtual");

    private static BusRequest request(String line) {
        return BusRequest.parse(line.split(" ")).orElseThrow();
    }

    @Test
    void onTheSimulatedBoardTheSensorsAreSetAndThePwmTimelineReported(@TempDir Path dir) throws Exception {
        Path wiring = Files.writeString(dir.resolve("w"), "tmp102 i2c-1 0x48\nmcp3008 spi0.0 3.3\n");
        try (Board board = Board.open(VIRTUAL, Optional.of(wiring))) {
            assertEquals("ok the TMP102 at 0x48 on i2c-1 measures 31.5 °C", BusRequests.answer(request("i2c temperature i2c-1 0x48 31.5"), board));
            assertEquals(31.5, board.simulatedBuses().orElseThrow().temperature("i2c-1", 0x48));
            assertEquals("ok channel 2 of the MCP3008 on spi0.0 is at 1.2 V", BusRequests.answer(request("spi voltage spi0.0 2 1.2"), board));
            assertEquals(1.2, board.simulatedBuses().orElseThrow().voltage("spi0.0", 2));

            String none = BusRequests.answer(request("i2c temperature i2c-1 0x49 20"), board);
            assertTrue(none.startsWith("error no TMP102 is wired at 0x49 on i2c-1; the wiring has a TMP102 at 0x48"), none);
            String range = BusRequests.answer(request("spi voltage spi0.0 8 1"), board);
            assertEquals("error an MCP3008 has channels 0 to 7, not 8", range);

            assertEquals("ok simulated\tPWM0|D18|0|1000000|0|0|0|\tPWM1|D19|0|1000000|0|0|0|", BusRequests.answer(request("pwm"), board));
            try (PwmChannel fan = board.pwm("PWM0")) {
                fan.write(40_000, 10_000);
                String[] fields = BusRequests.answer(request("pwm D18"), board).split("\t");
                assertEquals(2, fields.length, "one channel asked by its pin");
                String[] f = fields[1].split("\\|", -1);
                assertEquals("PWM0|D18|1|40000|10000|1|0", String.join("|", java.util.Arrays.copyOf(f, 7)));
                String[] changes = f[7].split(";");
                assertEquals(2, changes.length, "opened, then written");
                assertTrue(changes[1].matches("\\d+,40000,10000,1"), changes[1]);
                assertTrue(changes[0].matches("\\d+,1000000,0,0"), changes[0]);
                assertTrue(Long.parseLong(changes[0].split(",")[0]) >= Long.parseLong(changes[1].split(",")[0]), "ages: the older is older");
            }
            assertTrue(BusRequests.answer(request("pwm PWM9"), board).startsWith("error board virtual has no PWM channel 'PWM9'"));
        }
    }

    @Test
    void aPwmAnswerCarriesOnlyTheLatestChangesAndCountsTheOthers() {
        try (Board board = Board.open(VIRTUAL, Optional.empty()); PwmChannel led = board.pwm("PWM1")) {
            for (int i = 1; i <= 25; i++) led.setDutyNanos(i);
            String[] f = BusRequests.answer(request("pwm PWM1"), board).split("\t")[1].split("\\|", -1);
            assertEquals(String.valueOf(26 - BusRequests.RECENT_CHANGES), f[6], "opened and 25 sets: 16 left out");
            String[] changes = f[7].split(";");
            assertEquals(BusRequests.RECENT_CHANGES, changes.length);
            assertTrue(changes[changes.length - 1].endsWith(",1000000,25,0"), changes[changes.length - 1]);
        }
    }

    @Test
    void onABoardThatIsNotSimulatedSensorsCannotBeSetAndPwmListsTheOpenChannels() {
        try (Board real = Board.open(VIRTUAL, new SimulatedGpio(VIRTUAL, Wiring.none()), new OutputsOnly())) {
            assertTrue(real.simulatedBuses().isEmpty());
            assertEquals("unsupported only the simulated board has simulated sensors; this board's TMP102 measures the real temperature",
                    BusRequests.answer(request("i2c temperature i2c-1 0x48 31.5"), real));
            assertTrue(BusRequests.answer(request("spi voltage spi0.0 0 1"), real).startsWith("unsupported "));
            assertEquals("ok real", BusRequests.answer(request("pwm"), real), "nothing open");
            try (PwmChannel fan = real.pwm("PWM0")) {
                fan.write(40_000, 20_000);
                assertEquals("ok real\tPWM0|D18|1|40000|20000|1|0|", BusRequests.answer(request("pwm"), real));
                assertEquals("ok real", BusRequests.answer(request("pwm PWM1"), real));
            }
        }
    }

    @Test
    void theLinksAnswerToWordsOutsideTheGrammarIsTheUsage() {
        assertEquals("error usage: pwm [CHANNEL]", BusRequests.answer("pwm a b".split(" ")));
        assertEquals("error usage: i2c temperature BUS ADDRESS CELSIUS", BusRequests.answer("i2c temperature".split(" ")));
    }

    /** A backend of a board that is not simulated: PWM outputs that take any setting, no buses. */
    private static final class OutputsOnly implements Buses {
        @Override
        public I2cTransfers openI2c(I2cBusSpec bus) {
            throw new AssertionError("not used");
        }

        @Override
        public SpiTransfers openSpi(SpiDeviceSpec device) {
            throw new AssertionError("not used");
        }

        @Override
        public PwmOutput openPwm(PwmChannelSpec channel) {
            return new PwmOutput() {
                @Override
                public void set(long periodNs, long dutyNs, boolean enabled) {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
