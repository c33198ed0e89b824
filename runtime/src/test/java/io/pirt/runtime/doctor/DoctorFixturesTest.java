package io.pirt.runtime.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfiles;
import io.pirt.runtime.machine.RootFiles;
import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.DoctorReport;
import io.pirt.wire.message.DoctorReport.Verdict;
import io.pirt.wire.message.Messages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The doctor on the fixture trees of src/test/doctor (README.md there): every built-in board set up right, and each misconfiguration. */
@Timeout(30)
class DoctorFixturesTest {
    static final Path FIXTURES = Path.of("src/test/doctor");
    static final List<String> APP_FLAGS = List.of("-XX:+UseZGC", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    static DoctorReport examine(String fixture) {
        return Doctor.examine(new Doctor.Setup(FIXTURES.resolve(fixture), Optional.empty(), "detected", Optional.empty(), OptionalLong.empty(),
                Optional.empty()));
    }

    static DoctorReport.Check check(DoctorReport report, String id) {
        return report.checks().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " in " + report));
    }

    static void assertVerdict(DoctorReport report, String id, Verdict verdict, String... adviceNames) {
        DoctorReport.Check c = check(report, id);
        assertEquals(verdict, c.verdict(), () -> AnswerText.of(report));
        for (String name : adviceNames) assertTrue(c.advice().contains(name), () -> "advice of " + id + " lacks '" + name + "':\n" + AnswerText.of(report));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rpi-3b", "rpi-3b-plus", "rpi-4b", "rpi-cm4", "rpi-5"})
    void aBoardSetUpRightPassesEveryCheck(String board) {
        DoctorReport report = examine(board + "-good");
        assertEquals(board, report.board());
        for (DoctorReport.Check c : report.checks()) assertEquals(Verdict.OK, c.verdict(), () -> c.id() + ":\n" + AnswerText.of(report));
        assertFalse(report.anyFailed());
    }

    @Test
    void aZero2WSetUpRightPassesWithTheProfilesSmallerHeap() {
        // The heap the runtime would choose from the profile (jvm.heapMb 128), not the larger boards' 256.
        DoctorReport report = examine("rpi-zero-2w-good");
        assertEquals("rpi-zero-2w", report.board());
        assertTrue(check(report, "memory").found().contains("application heap 128 MiB of 427 MiB"), () -> AnswerText.of(report));
        for (DoctorReport.Check c : report.checks()) assertEquals(Verdict.OK, c.verdict(), () -> c.id() + ":\n" + AnswerText.of(report));
    }

    @Test
    void theStatusLedIsTheActLedOfTheLedClass() {
        DoctorReport report = examine("rpi-4b-good");
        assertVerdict(report, "status-led", Verdict.OK);
        assertTrue(check(report, "status-led").found().startsWith("/sys/class/leds/ACT (rpi-4b's ACT)"), () -> AnswerText.of(report));
    }

    @Test
    void aPi3WithoutItsActLedWarnsThatLed0CannotBeOpened(@TempDir Path root) throws Exception {
        // As in QEMU's raspi3b on a Debian kernel: no firmware, so no GPIO expander and no ACT LED.
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.writeString(root.resolve("proc/device-tree/model"), "Raspberry Pi 3 Model B\0");
        Files.createDirectories(root.resolve("sys/class/leds/mmc0::"));
        DoctorReport report = Doctor.examine(new Doctor.Setup(root, Optional.empty(), "detected", Optional.empty(), OptionalLong.empty(),
                Optional.empty()));
        assertEquals("rpi-3b", report.board());
        assertVerdict(report, "status-led", Verdict.WARN, "raspberrypi-exp-gpio", "leds:");
        assertTrue(check(report, "status-led").found().startsWith("no /sys/class/leds/ACT or led0: an application's LED0 cannot be opened"
                + " (LEDs here: mmc0::)"), () -> AnswerText.of(report));
    }

    @Test
    void aStatusLedOnALineTheLedsGpioDriverHoldsWarns(@TempDir Path dir) throws Exception {
        // A board file as written before the LED class: LED0 on the ACT LED's GPIO line, which leds-gpio holds.
        Path file = Files.writeString(dir.resolve("old-pi.yaml"), """
                version: 1
                id: old-pi
                name: Pi 4 with LED0 on the ACT line
                extends: rpi-4b
                aliases: {LED0: ACT_LED}
                sources: ["a test"]
                """);
        DoctorReport report = Doctor.examine(new Doctor.Setup(FIXTURES.resolve("rpi-4b-good"), Optional.of(BoardProfiles.builtIn().loadFile(file)),
                "--board-file " + file, Optional.empty(), OptionalLong.empty(), Optional.empty()));
        assertVerdict(report, "status-led", Verdict.WARN, "point the status LED (and LED0) at ACT", file.toString());
        assertTrue(check(report, "status-led").found().contains("pin ACT_LED (line 42), which the kernel's leds-gpio driver holds"),
                () -> AnswerText.of(report));
    }

    @Test
    void aHeapOfMoreThanHalfTheMemoryWarns(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal:         437516 kB\n");
        DoctorReport report = Doctor.examine(new Doctor.Setup(root, Optional.of(BoardProfiles.builtIn().get("rpi-zero-2w")), "--board rpi-zero-2w",
                Optional.of(APP_FLAGS), OptionalLong.empty(), Optional.empty()));
        assertVerdict(report, "memory", Verdict.WARN, "--app-jvm-flag", "/etc/pirt/pirt.conf");
        assertTrue(check(report, "memory").found().contains("256 MiB of 427 MiB"), () -> AnswerText.of(report));
    }

    @Test
    void aPi5WithEnableUartButNoUart0ParameterFailsNamingDtparamUart0() {
        DoctorReport report = examine("rpi-5-uart-enable-only");
        assertVerdict(report, "boot-config", Verdict.FAIL, "dtparam=uart0=on", "/boot/firmware/config.txt");
        assertTrue(check(report, "boot-config").found().contains("enable_uart=1"), () -> AnswerText.of(report));
        assertVerdict(report, "console", Verdict.FAIL);
        assertTrue(check(report, "console").found().contains("--console in /etc/pirt/pirt.conf"), () -> AnswerText.of(report));
        assertTrue(report.anyFailed());
    }

    @Test
    void aCm4WithOtgModeActiveFailsSayingToCommentItOut() {
        DoctorReport report = examine("rpi-cm4-otg-mode");
        assertVerdict(report, "boot-config", Verdict.FAIL, "comment out otg_mode=1", "line 15, under [cm4]");
    }

    @Test
    void otgModeUnderAFilterThatIsNotTheBoardsIsIgnored() {
        // The same config.txt on a Pi 4 Model B: [cm4] does not apply to it.
        BootConfig config = BootConfig.parse("[cm4]\notg_mode=1\n[all]\n[pi4]\narm_boost=1\n[none]\nenable_uart=1\n[all]\ndtparam=uart0\n",
                BootConfig.filtersOf("rpi-4b", Optional.empty()));
        assertEquals(List.of(), config.applied("otg_mode"));
        assertEquals(1, config.applied("arm_boost").size());
        assertEquals(List.of(), config.applied("enable_uart"), "[none] applies nothing until [all]");
        assertTrue(config.dtparamOn("uart0").isPresent(), "a dtparam without a value is on");
        assertEquals(1, BootConfig.parse("[cm4]\notg_mode=1\n", BootConfig.filtersOf("rpi-cm4", Optional.empty())).applied("otg_mode").size());
    }

    @Test
    void aGettyOnTheConsoleFailsNamingTheUnitToDisable() {
        assertVerdict(examine("rpi-4b-getty"), "getty", Verdict.FAIL, "sudo systemctl disable --now serial-getty@ttyGS0.service");
    }

    @Test
    void theKernelConsoleOnSerial0FailsNamingTheCmdlineEntry() {
        assertVerdict(examine("rpi-3b-kernel-console"), "getty", Verdict.FAIL, "remove console=serial0,115200 from /boot/firmware/cmdline.txt");
    }

    @Test
    void a32BitUserlandWarnsThatThereIsNoZgc() {
        DoctorReport report = examine("rpi-4b-32bit");
        assertVerdict(report, "userland", Verdict.WARN, "ZGC", "dpkg --print-architecture");
        assertTrue(check(report, "userland").found().contains("32-bit"), () -> AnswerText.of(report));
        assertFalse(report.anyFailed(), () -> AnswerText.of(report));
    }

    @Test
    void noRealtimePermissionFailsNamingLimitRtprio() {
        DoctorReport report = examine("rpi-4b-no-rt-permission");
        assertVerdict(report, "realtime", Verdict.FAIL, "LimitRTPRIO=47", "systemctl");
        assertTrue(check(report, "realtime").found().contains("RLIMIT_RTPRIO 0, 0 of 3 threads SCHED_FIFO"), () -> AnswerText.of(report));
    }

    @Test
    void java17FailsNamingHowToInstall21() {
        DoctorReport report = examine("rpi-4b-jdk17");
        assertVerdict(report, "java", Verdict.FAIL, "openjdk-21-jre-headless", "update-alternatives --config java", "JAVA_HOME");
        assertTrue(check(report, "java").found().contains("Java 17.0.13"), () -> AnswerText.of(report));
    }

    @Test
    void noPreemptRtWarnsAndDoesNotFail() {
        DoctorReport report = examine("rpi-4b-no-preempt-rt");
        assertVerdict(report, "kernel", Verdict.WARN, "PREEMPT_RT");
        assertVerdict(report, "cmdline", Verdict.WARN, "isolcpus=3 nohz_full=3 rcu_nocbs=3 irqaffinity=0-2", "/boot/firmware/cmdline.txt");
        assertFalse(report.anyFailed(), () -> AnswerText.of(report));
    }

    @Test
    void aGadgetConsoleWithoutDwc2AndGSerialFailsNamingBoth() {
        DoctorReport report = examine("rpi-4b-no-gadget");
        assertVerdict(report, "boot-config", Verdict.FAIL, "dtoverlay=dwc2", "modules-load=dwc2,g_serial");
        assertVerdict(report, "console", Verdict.FAIL);
    }

    @Test
    void anUnknownModelFailsSayingHowToPassABoardFileAndSkipsWhatNeedsAProfile() {
        DoctorReport report = examine("unknown-board");
        assertEquals("unknown", report.board());
        assertVerdict(report, "board", Verdict.FAIL, "--board-file");
        assertVerdict(report, "gpio", Verdict.SKIP);
        assertVerdict(report, "boot-config", Verdict.SKIP);
    }

    @Test
    void debianWithoutSerial0HasTheConsoleTheRuntimeChoosesAndTheGpioGroupOfThePackage() {
        DoctorReport report = examine("rpi-3b-debian");
        assertEquals("rpi-3b", report.board());
        assertVerdict(report, "console", Verdict.OK);
        assertEquals("/dev/ttyS1 (root:dialout crw-rw----) (board profile rpi-3b names /dev/serial0, which this system does not have"
                + " (Raspberry Pi OS's udev rule makes it); /dev/ttyS1 is that UART, by the device tree's /chosen/stdout-path serial1"
                + " = /soc/serial@7e215040)", check(report, "console").found());
        assertVerdict(report, "gpio", Verdict.OK);
        assertTrue(check(report, "gpio").found().endsWith("/dev/gpiochip0 (root:gpio crw-rw----), open to user pirt"), () -> AnswerText.of(report));
    }

    @Test
    void gpioChipsOnlyRootMayOpenFailSayingThePackagesUdevRuleHasNotApplied() {
        DoctorReport report = examine("rpi-3b-debian-gpio-root-only");
        assertVerdict(report, "gpio", Verdict.FAIL, "sudo udevadm trigger --subsystem-match=gpio", "/lib/udev/rules.d/60-pirt.rules",
                "sudo apt install --reinstall pirt-runtime", "sudo systemctl restart pirt-runtime");
        assertTrue(check(report, "gpio").found().contains("(root:root crw-------): user pirt (groups dialout,gpio,pirt) may not open it, and no"
                + " group may"), () -> AnswerText.of(report));
        assertFalse(check(report, "gpio").advice().contains("adduser"), "pirt is in gpio already: " + AnswerText.of(report));
    }

    @Test
    void gpioChipsOfAGroupPirtIsNotInFailNamingThatGroupAndARestart(@TempDir Path root) throws Exception {
        // /dev/gpiochip0 of group gpio, which pirt is not in (a system where the package could not add it).
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.writeString(root.resolve("proc/device-tree/model"), "Raspberry Pi 3 Model B\0");
        Files.createDirectories(root.resolve("sys/class/gpio/gpiochip512/device/gpiochip0"));
        Files.writeString(root.resolve("sys/class/gpio/gpiochip512/label"), "pinctrl-bcm2835\n");
        Files.writeString(root.resolve(RootFiles.DEV_LISTING), "crw-rw---- 1 root gpio 254, 0 Dec  7 20:00 gpiochip0\n");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "pirt:x:999:999:pirt board runtime:/var/lib/pirt:/usr/sbin/nologin\n");
        Files.writeString(root.resolve("etc/group"), "dialout:x:20:pirt\ngpio:x:997:\npirt:x:999:\n");
        DoctorReport report = Doctor.examine(new Doctor.Setup(root, Optional.empty(), "detected", Optional.empty(), OptionalLong.empty(),
                Optional.empty()));
        assertVerdict(report, "gpio", Verdict.FAIL, "sudo adduser pirt gpio", "sudo systemctl restart pirt-runtime");
        assertFalse(check(report, "gpio").advice().contains("udevadm"), () -> AnswerText.of(report));
    }

    @Test
    void noSerial0AndNoUartInItsPlaceFailsSayingWhatWasTriedAndToPassConsole(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.writeString(root.resolve("proc/device-tree/model"), "Raspberry Pi 3 Model B\0");
        DoctorReport report = Doctor.examine(new Doctor.Setup(root, Optional.empty(), "detected", Optional.empty(), OptionalLong.empty(),
                Optional.empty()));
        assertVerdict(report, "console", Verdict.FAIL, "--console DEVICE in PIRT_OPTS of /etc/pirt/pirt.conf");
        assertTrue(check(report, "console").found().startsWith("/dev/serial0 does not exist (board profile rpi-3b; /dev/serial0 does not exist"
                + " and no UART was found in its place (tried the device tree has neither /chosen/stdout-path nor alias serial0)"),
                () -> AnswerText.of(report));
    }

    @Test
    void aGivenProfileOtherThanTheDetectedOneWarns() {
        DoctorReport report = Doctor.examine(new Doctor.Setup(FIXTURES.resolve("rpi-4b-good"), Optional.of(BoardProfiles.builtIn().get("rpi-5")),
                "--board rpi-5", Optional.empty(), OptionalLong.empty(), Optional.empty()));
        assertVerdict(report, "board", Verdict.WARN, "drop the --board option");
        assertVerdict(report, "gpio", Verdict.FAIL, "--board-file");
    }

    @Test
    void theReportSurvivesJsonAndTheTableIndentsAdviceUnderFailedLines() throws Exception {
        DoctorReport report = examine("rpi-cm4-otg-mode");
        assertEquals(report, Messages.decode(Messages.encode(report), DoctorReport.class));
        assertFalse(Messages.encode(report).contains("anyFailed"), Messages.encode(report));
        String table = AnswerText.of(report);
        assertTrue(table.contains("\nFAIL  UART or USB gadget in config.txt"), table);
        assertTrue(table.contains("\n      -> comment out otg_mode=1"), table);
        assertTrue(table.endsWith("1 failed, 0 warned, of 14 checks"), table);
    }

    @Test
    void theHeapIsTheAppJvmFlagsOfPirtConfWhenItHasAny(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal:         437516 kB\n");
        Files.createDirectories(root.resolve("etc/pirt"));
        Files.writeString(root.resolve("etc/pirt/pirt.conf"), "PIRT_OPTS=--app-jvm-flag -XX:+UseSerialGC --app-jvm-flag -Xmx128m\n");
        DoctorReport report = Doctor.examine(new Doctor.Setup(root, Optional.of(BoardProfiles.builtIn().get("rpi-zero-2w")), "--board rpi-zero-2w",
                Optional.of(APP_FLAGS), OptionalLong.empty(), Optional.empty()));
        assertVerdict(report, "memory", Verdict.OK);
        assertTrue(check(report, "memory").found().contains("application heap 128 MiB of 427 MiB"), () -> AnswerText.of(report));
    }

    @Test
    void heapIsTheLastXmxOrMaxHeapSize() {
        assertEquals(OptionalLong.of(256L << 20), JvmHeap.maxHeapBytes(APP_FLAGS));
        assertEquals(OptionalLong.of(1L << 30), JvmHeap.maxHeapBytes(List.of("-Xmx256m", "-XX:MaxHeapSize=1g")));
        assertEquals(OptionalLong.empty(), JvmHeap.maxHeapBytes(List.of("-XX:+UseSerialGC")));
    }
}
