package io.pirt.tools.boards;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.Capability;
import io.pirt.boards.LedClassDevice;
import io.pirt.boards.Pin;
import io.pirt.boards.RealtimeTable;
import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SerialPortSpec;
import io.pirt.boards.SpiDeviceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A board profile as readable text, for {@code pirt boards show}. */
final class ProfileText {
    private static final String INDENT = "               ";

    private final StringBuilder sb = new StringBuilder();

    private ProfileText() {
    }

    static String of(BoardProfile p) {
        return new ProfileText().render(p);
    }

    private String render(BoardProfile p) {
        sb.append(p.id()).append(": ").append(p.name()).append('\n');
        field("from", p.origin());
        p.extendsId().ifPresent(parent -> field("extends", parent));
        field("matches", p.matchPrefixes().isEmpty()
                ? "(no model: chosen by id only)"
                : p.matchPrefixes().stream().map(m -> "\"" + m + "\"").collect(Collectors.joining(", ")));
        field("soc", p.soc() + ", " + p.cpuCores() + " cores");
        field("gpio", "chip " + p.gpioChipLabel() + ", provider " + p.gpioProvider());
        field("console", p.consoleDevice());
        field("status LED", p.statusLed().map(led -> led.name() + " (line " + led.line() + ")")
                .or(() -> p.statusLedDevice().map(led -> led.name() + " (kernel LED class)"))
                .orElse("none"));
        if (!p.statusLedNote().isEmpty()) {
            more(p.statusLedNote());
        }
        field("aliases", p.aliases().isEmpty() ? "none" : p.aliases().entrySet().stream()
                .map(e -> e.getKey() + " -> " + e.getValue()).collect(Collectors.joining(", ")));
        String ledLabel = "leds";
        for (LedClassDevice led : p.leds().values()) {
            List<String> notes = new ArrayList<>(aliasesOf(p.aliases(), led.name()));
            led.pin().ifPresent(pin -> notes.add("line of pin " + pin));
            field(ledLabel, led.name() + "  /sys/class/leds/" + String.join(" or ", led.sysfsNames())
                    + (notes.isEmpty() ? "" : "  (" + String.join(", ", notes) + ")"));
            ledLabel = "";
        }
        if (p.serialPorts().isEmpty()) {
            field("serial", "none");
        }
        String label = "serial";
        for (SerialPortSpec port : p.serialPorts().values()) {
            field(label, port.name() + "  " + port.device());
            more("  " + port.description());
            if (!port.enable().isEmpty()) more("  enabled by " + port.enable() + " in config.txt");
            label = "";
        }
        String busLabel = "buses";
        if (p.i2cBuses().isEmpty() && p.spiDevices().isEmpty() && p.pwmChannels().isEmpty()) field(busLabel, "none");
        for (I2cBusSpec bus : p.i2cBuses().values()) {
            field(busLabel, "I2C " + bus.name() + "  " + bus.device() + "  pins " + String.join(", ", bus.pins()) + enabledBy(bus.enable()));
            busLabel = "";
        }
        for (SpiDeviceSpec device : p.spiDevices().values()) {
            field(busLabel, "SPI " + device.name() + "  " + device.device() + "  pins " + String.join(", ", device.pins())
                    + enabledBy(device.enable()));
            busLabel = "";
        }
        for (PwmChannelSpec channel : p.pwmChannels().values()) {
            field(busLabel, "PWM " + channel.name() + "  chip " + channel.chip() + " channel " + channel.channel() + "  pin "
                    + channel.pin() + enabledBy(channel.enable()));
            busLabel = "";
        }
        List<String> levels = new ArrayList<>();
        for (int level = 1; level <= RealtimeTable.LEVELS; level++) {
            levels.add(RealtimeTable.levelName(level) + " " + p.realtime().fifoPriority(level));
        }
        field("real-time", "SCHED_FIFO " + String.join(", ", levels));
        more(p.realtime().cpus().isEmpty() ? "no CPU pinning" : "on CPUs " + p.realtime().cpus());
        field("app JVM", "collector " + p.appJvm().collector() + ", heap " + p.appJvm().heapMb()
                + " MiB (on a 32-bit JVM the serial collector instead of ZGC)");
        field("pins", String.format("%-8s %4s %6s  %s", "NAME", "LINE", "HEADER", "CAPS"));
        for (Pin pin : p.pins()) {
            more(pinRow(pin, aliasesOf(p.aliases(), pin.name())));
        }
        String sourceLabel = "sources";
        for (String source : p.sources()) {
            field(sourceLabel, source);
            sourceLabel = "";
        }
        return sb.toString();
    }

    private static String enabledBy(java.util.Optional<String> enable) {
        return enable.map(line -> "  (" + line + " in config.txt)").orElse("");
    }

    private static String pinRow(Pin pin, List<String> aliases) {
        String header = pin.header().isPresent() ? Integer.toString(pin.header().getAsInt()) : "-";
        String caps = pin.capabilities().stream().map(Capability::fileName).collect(Collectors.joining(","));
        List<String> notes = new ArrayList<>(aliases);
        if (pin.activeLow()) {
            notes.add("active low");
        }
        pin.kernelDriver().ifPresent(driver -> notes.add("held by " + driver + " at boot"));
        String row = String.format("%-8s %4d %6s  %s", pin.name(), pin.line(), header, caps);
        return notes.isEmpty() ? row : row + "  (" + String.join(", ", notes) + ")";
    }

    /** The aliases of the pin or LED called {@code name}. */
    private static List<String> aliasesOf(Map<String, String> aliases, String name) {
        return aliases.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).toList();
    }

    private void field(String name, String value) {
        sb.append(String.format("  %-12s %s%n", name, value));
    }

    private void more(String value) {
        sb.append(INDENT).append(value).append('\n');
    }
}
