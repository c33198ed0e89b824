package io.pirt.tools.ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The warning {@code pirt ports} gives on a Linux machine where ModemManager runs: it opens
 * every new {@code /dev/ttyACM*} and writes AT commands to it for several seconds, looking for
 * a modem, which delays and disturbs a board's console just plugged in (docs/tool.md, "ports").
 */
final class ModemManagerWarning {
    /** A udev rule that makes ModemManager leave Linux's gadget serial (a Pi's console) alone. */
    static final String RULE = "ATTRS{idVendor}==\"0525\", ATTRS{idProduct}==\"a4a7\", ENV{ID_MM_DEVICE_IGNORE}=\"1\"";
    static final String RULE_FILE = "/etc/udev/rules.d/70-pirt-modemmanager.rules";

    private ModemManagerWarning() {
    }

    /** The warning when a ModemManager process runs under {@code proc} (a /proc tree), else empty. */
    static Optional<String> of(Path proc) {
        return modemManagerPid(proc).map(pid -> "warning: ModemManager is running (pid " + pid + "): it probes a new /dev/ttyACM*"
                + " for several seconds, writing AT commands to it, which delays and disturbs a board's console. Tell it to leave"
                + " Pi gadget ports alone with a udev rule:\n"
                + "    echo '" + RULE + "' | sudo tee " + RULE_FILE + "\n"
                + "    sudo udevadm control --reload-rules\n"
                + "then unplug and plug in the board (or stop it: sudo systemctl stop ModemManager).");
    }

    /** The pid of a process whose command name is ModemManager, if one runs. */
    static Optional<Long> modemManagerPid(Path proc) {
        if (!Files.isDirectory(proc)) return Optional.empty();
        try (Stream<Path> entries = Files.list(proc)) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> "ModemManager".equals(comm(p)))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + proc, e);
        }
    }

    /** The process's command name, or null if it ended while we looked or may not be read. */
    private static String comm(Path processDir) {
        try {
            return Files.readString(processDir.resolve("comm")).strip();
        } catch (NoSuchFileException e) {
            return null; // the process ended between listing and reading: not ModemManager any more
        } catch (IOException e) {
            return null; // an unreadable comm (hidepid): that process cannot be told apart, and the warning is advice only
        }
    }
}
