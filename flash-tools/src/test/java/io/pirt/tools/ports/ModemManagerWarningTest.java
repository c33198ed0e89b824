package io.pirt.tools.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModemManagerWarningTest {
    @TempDir
    Path proc;

    private void process(long pid, String comm) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/comm"), comm + "\n");
    }

    @Test
    void noWarningWithoutModemManager() throws IOException {
        process(1, "systemd");
        process(812, "NetworkManager");
        Files.createDirectories(proc.resolve("self")); // not a pid
        Files.createDirectories(proc.resolve("999")); // a process that ended while listed: no comm
        assertEquals(Optional.empty(), ModemManagerWarning.of(proc));
    }

    @Test
    void aRunningModemManagerIsNamedWithTheRuleThatSilencesIt() throws IOException {
        process(1, "systemd");
        process(733, "ModemManager");
        String warning = ModemManagerWarning.of(proc).orElseThrow();
        assertTrue(warning.startsWith("warning: ModemManager is running (pid 733)"), warning);
        assertTrue(warning.contains("ATTRS{idVendor}==\"0525\", ATTRS{idProduct}==\"a4a7\", ENV{ID_MM_DEVICE_IGNORE}=\"1\""), warning);
        assertTrue(warning.contains("sudo tee /etc/udev/rules.d/70-pirt-modemmanager.rules"), warning);
    }

    @Test
    void theGadgetIdsInTheRuleAreThoseTheBoardIsRecognisedBy() {
        assertTrue(ModemManagerWarning.RULE.contains(String.format("\"%04x\"", SerialPortEntry.GADGET_VENDOR)));
        assertTrue(ModemManagerWarning.RULE.contains(String.format("\"%04x\"", SerialPortEntry.GADGET_PRODUCT)));
    }
}
