package io.pirt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code pirt boards} commands, run in-process with captured output. */
class BoardsCommandTest {

    /** What one run of {@code pirt} produced. */
    record Run(int exitCode, String out, String err) {
    }

    private static Run pirt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @TempDir
    Path root;

    @Test
    void boardsListsEveryBuiltInProfileWithItsName() {
        Run run = pirt("boards");
        assertEquals(0, run.exitCode(), run.err());
        List<String> ids = run.out().lines().map(line -> line.split("\\s+", 2)[0]).toList();
        assertEquals(List.of("rpi-3b", "rpi-3b-plus", "rpi-4b", "rpi-5", "rpi-zero-2w", "rpi-cm4", "virtual"), ids);
        assertTrue(run.out().lines().anyMatch(line -> line.matches("rpi-4b\\s+Raspberry Pi 4 Model B")), run.out());
        assertEquals("", run.err());
    }

    @Test
    void showPrintsTheProfile() {
        Run run = pirt("boards", "show", "rpi-4b");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("rpi-4b: Raspberry Pi 4 Model B\n"), run.out());
        assertTrue(run.out().contains("chip pinctrl-bcm2711, provider gpiod"), run.out());
        assertTrue(run.out().contains("console      /dev/ttyGS0"), run.out());
        assertTrue(run.out().lines().anyMatch(line -> line.trim().matches("D17\\s+17\\s+11\\s+gpio")), run.out());
        assertTrue(run.out().lines().anyMatch(line ->
                line.trim().matches("ACT_LED\\s+42\\s+-\\s+gpio\\s+\\(held by leds-gpio at boot\\)")), run.out());
        assertTrue(run.out().contains("leds         ACT  /sys/class/leds/ACT or led0  (LED0, line of pin ACT_LED)"), run.out());
        assertTrue(run.out().contains("status LED   ACT (kernel LED class)"), run.out());
        assertTrue(run.out().contains("enabled by enable_uart=1 in config.txt"), run.out());
        assertTrue(run.out().contains("app JVM      collector zgc, heap 256 MiB"), run.out());
        assertTrue(run.out().contains("buses        I2C i2c-1  /dev/i2c-1  pins D2, D3  (dtparam=i2c_arm=on in config.txt)"), run.out());
        assertTrue(run.out().contains("SPI spi0.1  /dev/spidev0.1  pins D7, D9, D10, D11  (dtparam=spi=on in config.txt)"), run.out());
        assertTrue(run.out().contains("PWM PWM0  chip fe20c000.pwm channel 0  pin D18  (dtoverlay=pwm-2chan in config.txt)"), run.out());
    }

    @Test
    void showOfAnUnknownIdFailsListingTheKnownOnes() {
        Run run = pirt("boards", "show", "rpi-2b");
        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("pirt: unknown board 'rpi-2b'; built-in boards: rpi-3b,"), run.err());
    }

    @Test
    void showWithoutABoardIsAUsageError() {
        Run run = pirt("boards", "show");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("give one profile"), run.err());
    }

    @Test
    void showChecksACustomBoardFile() throws IOException {
        Path file = Files.writeString(root.resolve("carrier.yaml"), """
                version: 1
                id: carrier
                name: ACME carrier
                extends: rpi-cm4
                aliases: {LED0: D22}
                sources: ["ACME schematic"]
                """);
        Run run = pirt("boards", "show", "--board-file", file.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("extends      rpi-cm4"), run.out());
        assertTrue(run.out().lines().anyMatch(line -> line.trim().matches("D22\\s+22\\s+15\\s+gpio\\s+\\(LED0\\)")),
                run.out());
    }

    @Test
    void showOfABrokenBoardFileFailsNamingFileAndField() throws IOException {
        Path file = Files.writeString(root.resolve("carrier.yaml"), """
                version: 1
                id: carrier
                name: ACME carrier
                extends: rpi-cm4
                aliases: {LED0: D99}
                """);
        Run run = pirt("boards", "show", "--board-file", file.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("pirt: " + file + ": aliases.LED0: points to unknown pin 'D99'"), run.err());
    }

    @Test
    void detectPrintsTheIdAloneOnItsLine() throws IOException {
        Path model = root.resolve("proc/device-tree/model");
        Files.createDirectories(model.getParent());
        Files.write(model, "Raspberry Pi 5 Model B Rev 1.0\0".getBytes(StandardCharsets.US_ASCII));
        Run run = pirt("boards", "detect", "--root", root.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("rpi-5" + System.lineSeparator(), run.out());
        assertEquals("", run.err());
    }

    @Test
    void detectWithoutADeviceTreeIsVirtualWithTheReasonOnStderr() {
        Run run = pirt("boards", "detect", "--root", root.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("virtual" + System.lineSeparator(), run.out());
        assertTrue(run.err().startsWith("pirt: no device-tree model at "), run.err());
    }

    @Test
    void detectOfAnUnknownModelFailsNamingTheModel() throws IOException {
        Path model = root.resolve("sys/firmware/devicetree/base/model");
        Files.createDirectories(model.getParent());
        Files.write(model, "Orange Pi 5\0".getBytes(StandardCharsets.US_ASCII));
        Run run = pirt("boards", "detect", "--root", root.toString());
        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("pirt: no board profile matches the model \"Orange Pi 5\""), run.err());
        assertTrue(run.err().contains("--board-file PATH"), run.err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Run run = pirt("flsah");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("flsah"), run.err());
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, pirt().exitCode());
    }

    @Test
    void versionNamesTheBuild() {
        Run run = pirt("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().matches("pirt \\d+\\.\\d+\\.\\d+.*\\R"), run.out());
    }

    @Test
    void commandsThatFlashNothingListNoFlashExitCodes() {
        for (String[] command : List.of(new String[] {"sim", "--help"}, new String[] {"demo", "--help"},
                new String[] {"boards", "--help"}, new String[] {"boards", "show", "--help"}, new String[] {"boards", "detect", "--help"})) {
            Run run = pirt(command);
            assertEquals(0, run.exitCode(), String.join(" ", command));
            assertTrue(run.out().contains("Exit codes:"), String.join(" ", command) + ": " + run.out());
            assertFalse(run.out().contains("(flash)"), String.join(" ", command) + " lists flash's exit codes: " + run.out());
            assertFalse(run.out().matches("(?s).*\\R\\s*[34]\\s.*"), String.join(" ", command) + " lists exit code 3 or 4: " + run.out());
        }
        Run flash = pirt("flash", "--help");
        assertTrue(flash.out().contains("rolled"), "flash still lists its own: " + flash.out());
    }

    @Test
    void helpOfASubcommandWorks() {
        Run run = pirt("boards", "detect", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("--root=DIR"), run.out());
    }
}
