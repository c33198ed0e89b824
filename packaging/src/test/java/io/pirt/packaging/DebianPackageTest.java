package io.pirt.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the pirt-runtime .deb that {@code package} built and checks what a Raspberry Pi will
 * get from it: the files, the control fields, the systemd unit and the maintainer scripts.
 * The package is read here, in Java (an {@code ar} archive of {@code debian-binary},
 * {@code control.tar.gz} and {@code data.tar.gz}), so the test needs no dpkg.
 */
class DebianPackageTest {
    private static final String LIB = "/usr/share/pirt/lib";

    private static Path deb;
    private static Map<String, Entry> control;
    private static Map<String, Entry> data;

    /** A file of a tar member: its mode, owner and, for a regular file, its bytes. */
    record Entry(int mode, boolean directory, byte[] bytes, String user, long uid) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        boolean executable() {
            return (mode & 0111) == 0111;
        }
    }

    @BeforeAll
    static void readPackage() throws IOException {
        Path dir = Path.of(System.getProperty("pirt.deb.dir", "target"));
        List<Path> debs;
        try (Stream<Path> s = Files.list(dir)) {
            debs = s.filter(p -> p.getFileName().toString().matches("pirt-runtime_.*_all\\.deb")).toList();
        }
        assertEquals(1, debs.size(), "exactly one pirt-runtime_VERSION_all.deb in " + dir + " (run mvn package): " + debs);
        deb = debs.get(0);
        Map<String, byte[]> members = readAr(Files.readAllBytes(deb));
        assertEquals(List.of("debian-binary", "control.tar.gz", "data.tar.gz"), List.copyOf(members.keySet()),
                "the members of a Debian binary package, in dpkg's order");
        assertEquals("2.0\n", new String(members.get("debian-binary"), StandardCharsets.US_ASCII));
        control = readTarGz(members.get("control.tar.gz"));
        data = readTarGz(members.get("data.tar.gz"));
    }

    @Test
    void controlNamesThePackageItsVersionAndAJava21Runtime() {
        Map<String, String> fields = controlFields(file(control, "control").text());
        assertEquals("pirt-runtime", fields.get("Package"));
        String debianVersion = System.getProperty("pirt.version", "").replace("-SNAPSHOT", "~snapshot");
        assertEquals(debianVersion, fields.get("Version"), "the Maven version, in Debian's spelling");
        assertTrue(deb.getFileName().toString().equals("pirt-runtime_" + debianVersion + "_all.deb"), deb.toString());
        assertEquals("all", fields.get("Architecture"), "pure Java: the jars carry their armhf and aarch64 natives");
        List<String> depends = List.of(fields.get("Depends").split("\\s*,\\s*"));
        assertTrue(depends.contains("openjdk-21-jre-headless | openjdk-25-jre-headless | java21-runtime-headless"),
                "a headless Java 21 or newer from Debian: " + depends);
        assertTrue(depends.contains("adduser"), "postinst makes the pirt user: " + depends);
        assertNotNull(fields.get("Maintainer"));
        assertNotNull(fields.get("Description"));
    }

    @Test
    void configurationIsAConffileSoUpgradesKeepLocalChanges() {
        List<String> conffiles = file(control, "conffiles").text().lines().toList();
        assertTrue(conffiles.contains("/etc/pirt/pirt.conf"), conffiles.toString());
        for (String c : conffiles) assertNotNull(data.get(c), "conffile " + c + " is in the package");
        String conf = file(data, "/etc/pirt/pirt.conf").text();
        assertTrue(conf.lines().anyMatch(l -> l.startsWith("PIRT_OPTS=")), "the unit's PIRT_OPTS has a default:\n" + conf);
        assertTrue(data.get("/etc/pirt/keys/").directory(), "the trusted keys directory");
        assertFalse(data.containsKey("/var/lib/pirt/"), "the state directory is made by postinst, owned by pirt");
    }

    @Test
    void aUdevRuleGivesThePirtGroupTheCpuLatencyRequestAndPostinstAppliesItAtOnce() throws Exception {
        String rules = file(data, "/lib/udev/rules.d/60-pirt.rules").text();
        assertTrue(rules.contains("KERNEL==\"cpu_dma_latency\", GROUP=\"pirt\", MODE=\"0660\""), rules);
        Postinst postinst = debianPostinst();
        assertTrue(postinst.index("udevadm control --reload-rules")
                < postinst.index("udevadm trigger --subsystem-match=misc --sysname-match=cpu_dma_latency"), postinst.toString());
    }

    @Test
    void aUdevRuleLetsThePirtGroupWriteEveryLedsTriggerAndBrightnessAndPostinstAppliesItAtOnce() throws Exception {
        List<String> ledRules = file(data, "/lib/udev/rules.d/60-pirt.rules").text().lines()
                .filter(l -> l.startsWith("SUBSYSTEM==\"leds\"")).toList();
        assertEquals(List.of("SUBSYSTEM==\"leds\", ACTION==\"add\", RUN+=\"/bin/chgrp pirt /sys%p/trigger /sys%p/brightness\","
                + " RUN+=\"/bin/chmod g+w /sys%p/trigger /sys%p/brightness\""), ledRules,
                "sysfs attributes take no GROUP/MODE: the rule changes them itself, on the LED's add event");
        Postinst postinst = debianPostinst();
        // The LEDs exist since boot: their add events are replayed so the rule applies without a reboot, after it is loaded.
        assertTrue(postinst.index("udevadm control --reload-rules") < postinst.index("udevadm trigger --subsystem-match=leds --action=add"),
                "the new rule is loaded before the events are replayed: " + postinst);
    }

    @Test
    void aUdevRuleGivesGroupGpioTheGpioChipsOnAnyDistribution() {
        // The kernel makes /dev/gpiochip* root:root 0600; only Raspberry Pi OS has a rule of its own (the same one).
        List<String> gpioRules = file(data, "/lib/udev/rules.d/60-pirt.rules").text().lines()
                .filter(l -> l.startsWith("SUBSYSTEM==\"gpio\"")).toList();
        assertEquals(List.of("SUBSYSTEM==\"gpio\", KERNEL==\"gpiochip*\", GROUP=\"gpio\", MODE=\"0660\""), gpioRules);
    }

    @Test
    void udevRulesGiveGroupsI2cAndSpiTheirNodesAndGroupGpioThePwmChipsSysfsFiles() {
        List<String> rules = file(data, "/lib/udev/rules.d/60-pirt.rules").text().lines().filter(l -> !l.startsWith("#")).toList();
        assertTrue(rules.contains("SUBSYSTEM==\"i2c-dev\", KERNEL==\"i2c-[0-9]*\", GROUP=\"i2c\", MODE=\"0660\""), rules.toString());
        assertTrue(rules.contains("SUBSYSTEM==\"spidev\", KERNEL==\"spidev*\", GROUP=\"spi\", MODE=\"0660\""), rules.toString());
        List<String> pwm = rules.stream().filter(l -> l.startsWith("SUBSYSTEM==\"pwm\"")).toList();
        assertEquals(2, pwm.size(), "one rule for a chip's add, one for a channel's export: " + pwm);
        // A chip appears: its export and unexport open to gpio.
        assertEquals("SUBSYSTEM==\"pwm\", KERNEL==\"pwmchip*\", ACTION==\"add\","
                + " RUN+=\"/bin/chgrp gpio /sys%p/export /sys%p/unexport\", RUN+=\"/bin/chmod g+w /sys%p/export /sys%p/unexport\"", pwm.get(0));
        // A channel is exported: the kernel's change event on the chip names it (EXPORT=pwmN); the
        // channel's writable attributes open to gpio, every file both chgrp'd and chmod'ed.
        String export = pwm.get(1);
        assertTrue(export.startsWith("SUBSYSTEM==\"pwm\", KERNEL==\"pwmchip*\", ACTION==\"change\", ENV{EXPORT}==\"pwm[0-9]*\", "), export);
        String chgrp = between(export, "RUN+=\"/bin/chgrp gpio ", "\"");
        String chmod = between(export, "RUN+=\"/bin/chmod g+w ", "\"");
        List<String> attributes = List.of("period", "duty_cycle", "polarity", "enable");
        assertEquals(attributes.stream().map(a -> "/sys%p/$env{EXPORT}/" + a).collect(Collectors.joining(" ")), chgrp);
        assertEquals(chgrp, chmod, "the same files get the group and its write bit");
    }

    /** The text of {@code s} after {@code start} up to the next {@code end}. */
    private static String between(String s, String start, String end) {
        int from = s.indexOf(start);
        assertTrue(from >= 0, "'" + start + "' in " + s);
        from += start.length();
        return s.substring(from, s.indexOf(end, from));
    }

    @Test
    void i2cDevAndSpidevAreLoadedAtBootSoTheNodesAndTheUnitsDeviceAllowExist() {
        Entry conf = file(data, "/lib/modules-load.d/pirt-runtime.conf");
        assertEquals(0644, conf.mode() & 07777);
        assertEquals(List.of("i2c-dev", "spidev"),
                conf.text().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList());
    }

    /** What the package's postinst did, run with its commands stubbed: each command line called, its stderr, its exit code. */
    record Postinst(List<String> calls, String err, int exitCode) {
        int index(String call) {
            int i = calls.indexOf(call);
            assertTrue(i >= 0, "postinst ran '" + call + "': " + this);
            return i;
        }
    }

    @TempDir
    static Path postinstDir;
    /** The postinst's run on a Debian or Ubuntu system (no group gpio, udev running), made once for the tests that read it. */
    private static Postinst debian;

    private static synchronized Postinst debianPostinst() throws Exception {
        if (debian == null) debian = runPostinst(Files.createDirectories(postinstDir.resolve("debian")), List.of("dialout"), 0, true);
        return debian;
    }

    /**
     * Runs the package's postinst ({@code configure}, a first install) with sh on this machine,
     * every command it calls a stub on PATH that records its command line (getent answers from
     * {@code groups}, addgroup adds to them, udevadm exits {@code udevadmStatus}), and its two
     * tests of the running system, {@code /run/udev} and {@code /run/systemd/system}, pointed into
     * {@code dir} ({@code udevRunning}: whether the first exists). Nothing on this machine changes.
     */
    private static Postinst runPostinst(Path dir, List<String> groups, int udevadmStatus, boolean udevRunning) throws Exception {
        return runPostinst(dir, groups, udevadmStatus, udevRunning, Map.of());
    }

    /**
     * As above, with {@code env} added to the postinst's environment; {@code /etc/avahi/services} and
     * {@code /etc/pirt/pirt.conf} are pointed into {@code dir} as well (a test makes them when it wants
     * them), and pirt-runtime is a stub that records its call and prints a line naming its arguments, or
     * fails when {@code PIRT_RUNTIME_FAILS} is set.
     */
    private static Postinst runPostinst(Path dir, List<String> groups, int udevadmStatus, boolean udevRunning,
            Map<String, String> env) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("calls");
        Path groupFile = dir.resolve("groups");
        Files.write(groupFile, groups);
        Files.writeString(calls, "");
        String record = "echo \"${0##*/} $*\" >> \"$CALLS\"\n";
        Map<String, String> stubs = new LinkedHashMap<>();
        stubs.put("getent", record + "[ \"$1\" = group ] || exit 2\nwhile read -r g; do [ \"$g\" = \"$2\" ] && exit 0; done < \"$GROUP_FILE\"\nexit 2\n");
        stubs.put("addgroup", record + "for last; do :; done\necho \"$last\" >> \"$GROUP_FILE\"\n");
        stubs.put("udevadm", record + "exit " + udevadmStatus + "\n");
        for (String name : List.of("adduser", "install", "systemctl", "modprobe")) stubs.put(name, record);
        stubs.put("pirt-runtime", record + "[ -z \"$PIRT_RUNTIME_FAILS\" ] || { echo 'no board profile matches' >&2; exit 1; }\n"
                + "echo \"service file for: $*\"\n");
        for (String tool : List.of("sed", "mv", "rm")) stubs.put(tool, "exec /bin/" + tool + " \"$@\"\n");
        for (Map.Entry<String, String> stub : stubs.entrySet()) {
            Path f = bin.resolve(stub.getKey());
            Files.writeString(f, "#!/bin/sh\n" + stub.getValue());
            assertTrue(f.toFile().setExecutable(true), f.toString());
        }
        Path run = dir.resolve("run");
        Files.createDirectories(run.resolve("systemd/system"));
        if (udevRunning) Files.createDirectories(run.resolve("udev"));
        Path postinst = dir.resolve("postinst");
        Files.writeString(postinst, file(control, "postinst").text()
                .replace("/run/udev", run.resolve("udev").toString()).replace("/run/systemd/system", run.resolve("systemd/system").toString())
                .replace("/etc/avahi/services", dir.resolve("avahi/services").toString())
                .replace("/etc/pirt/pirt.conf", dir.resolve("pirt.conf").toString()));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", postinst.toString(), "configure");
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("CALLS", calls.toString());
        pb.environment().put("GROUP_FILE", groupFile.toString());
        pb.environment().putAll(env);
        Path err = dir.resolve("err");
        pb.redirectError(err.toFile()).redirectOutput(dir.resolve("out").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "postinst ends");
        return new Postinst(Files.readAllLines(calls), Files.readString(err), p.exitValue());
    }

    @Test
    void postinstOnDebianMakesGroupGpioPutsPirtInItAndAppliesTheRuleBeforeTheServiceStarts(@TempDir Path dir) throws Exception {
        Postinst debian = debianPostinst(); // Debian and Ubuntu: no gpio group
        assertEquals(0, debian.exitCode(), debian.toString());
        assertEquals("", debian.err(), debian.toString());
        assertTrue(debian.index("addgroup --system gpio") < debian.index("adduser pirt gpio"), debian.toString());
        debian.index("adduser pirt dialout");
        int reload = debian.index("udevadm control --reload-rules");
        assertTrue(debian.index("addgroup --system gpio") < reload, "the rule's GROUP=gpio is resolved when the rules load: " + debian);
        assertTrue(reload < debian.index("udevadm trigger --subsystem-match=gpio"), debian.toString());
        assertTrue(debian.index("udevadm trigger --subsystem-match=gpio") < debian.index("udevadm settle --timeout=30"), debian.toString());
        assertTrue(debian.index("udevadm settle --timeout=30") < debian.index("systemctl start pirt-runtime.service"),
                "the service starts with the chips open to it: " + debian);

        Postinst raspberryPiOs = runPostinst(dir, List.of("gpio", "i2c", "spi", "dialout"), 0, true);
        assertEquals(0, raspberryPiOs.exitCode(), raspberryPiOs.toString());
        assertFalse(raspberryPiOs.calls().stream().anyMatch(c -> c.startsWith("addgroup")), "the groups are there: " + raspberryPiOs);
        for (String g : List.of("gpio", "i2c", "spi", "dialout")) {
            raspberryPiOs.index("adduser pirt " + g);
        }
    }

    @Test
    void postinstOnDebianMakesGroupsI2cAndSpiLoadsTheBusModulesAndAppliesTheirRulesBeforeTheServiceStarts() throws Exception {
        Postinst debian = debianPostinst();
        int reload = debian.index("udevadm control --reload-rules");
        for (String g : List.of("i2c", "spi")) {
            assertTrue(debian.index("addgroup --system " + g) < debian.index("adduser pirt " + g), debian.toString());
            assertTrue(debian.index("addgroup --system " + g) < reload, "GROUP=" + g + " is resolved when the rules load: " + debian);
        }
        // The modules first, so that the buses already enabled have nodes for the replayed events to reach.
        assertTrue(debian.index("modprobe i2c-dev") < reload && debian.index("modprobe spidev") < reload, debian.toString());
        int settle = debian.index("udevadm settle --timeout=30");
        for (String trigger : List.of("udevadm trigger --subsystem-match=i2c-dev", "udevadm trigger --subsystem-match=spidev",
                "udevadm trigger --subsystem-match=pwm --action=add")) {
            int i = debian.index(trigger);
            assertTrue(reload < i && i < settle, trigger + " after the rules load, before the wait: " + debian);
        }
        assertTrue(settle < debian.index("systemctl start pirt-runtime.service"), debian.toString());
    }

    @Test
    void postinstSaysWhenUdevFailsOrIsNotRunningAndStillInstalls(@TempDir Path dir) throws Exception {
        Postinst failing = runPostinst(dir, List.of("dialout"), 1, true);
        assertEquals(0, failing.exitCode(), failing.toString());
        assertTrue(failing.err().contains("pirt-runtime: 'udevadm trigger --subsystem-match=gpio' failed (status 1)"), failing.toString());
        assertTrue(failing.err().contains("sudo udevadm trigger --subsystem-match=gpio"), "what to run once it works: " + failing);
        failing.index("systemctl start pirt-runtime.service");

        Postinst chroot = runPostinst(Files.createDirectories(dir.resolve("chroot")), List.of("dialout"), 0, false);
        assertEquals(0, chroot.exitCode(), chroot.toString());
        assertTrue(chroot.err().contains("udev is not running here"), chroot.toString());
        assertFalse(chroot.calls().stream().anyMatch(c -> c.startsWith("udevadm")), chroot.toString());
    }

    @Test
    void postinstWritesTheAvahiServiceWithTheBoardOfPirtConfAndAvahiIsOnlyRecommended(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("avahi/services"));
        Files.writeString(dir.resolve("pirt.conf"), "# a comment --board rpi-3b\nPIRT_OPTS=--dev --board rpi-5 --shell operator\n");
        Postinst postinst = runPostinst(dir, List.of("dialout"), 0, true, Map.of());
        assertEquals(0, postinst.exitCode(), postinst.toString());
        assertEquals("", postinst.err(), postinst.toString());
        postinst.index("pirt-runtime avahi-service --board rpi-5");
        assertEquals("service file for: avahi-service --board rpi-5\n", Files.readString(services.resolve("pirt.service")));
        assertFalse(Files.exists(services.resolve("pirt.service.new")), "the file is replaced whole, nothing left beside it");

        Map<String, String> fields = controlFields(file(control, "control").text());
        assertEquals("avahi-daemon", fields.get("Recommends"), "discovery is a convenience: " + fields);
        assertFalse(fields.get("Depends").contains("avahi"), fields.get("Depends"));
        String postrm = file(control, "postrm").text();
        int purge = postrm.indexOf("purge)");
        assertTrue(postrm.substring(0, purge).contains("rm -f /etc/avahi/services/pirt.service"), "remove takes the announcement away");
        assertTrue(postrm.substring(purge).contains("rm -f /etc/avahi/services/pirt.service"), "so does purge");
    }

    @Test
    void postinstWithoutAvahiWritesNothingAndAFailedDetectionIsSaidButDoesNotStopTheInstall(@TempDir Path dir) throws Exception {
        Postinst withoutAvahi = runPostinst(Files.createDirectories(dir.resolve("no-avahi")), List.of("dialout"), 0, true, Map.of());
        assertEquals(0, withoutAvahi.exitCode(), withoutAvahi.toString());
        assertFalse(withoutAvahi.calls().stream().anyMatch(c -> c.startsWith("pirt-runtime")), withoutAvahi.toString());

        Path failingDir = Files.createDirectories(dir.resolve("failing"));
        Path services = Files.createDirectories(failingDir.resolve("avahi/services"));
        Postinst failing = runPostinst(failingDir, List.of("dialout"), 0, true, Map.of("PIRT_RUNTIME_FAILS", "1"));
        assertEquals(0, failing.exitCode(), failing.toString());
        failing.index("pirt-runtime avahi-service");
        assertTrue(failing.err().contains("no board profile matches"), "the runtime's own reason: " + failing);
        assertTrue(failing.err().contains("not announced on the network") && failing.err().contains("sudo dpkg-reconfigure pirt-runtime"),
                failing.toString());
        try (Stream<Path> left = Files.list(services)) {
            assertEquals(List.of(), left.toList(), "no half-written announcement");
        }
        failing.index("systemctl start pirt-runtime.service");
    }

    @Test
    void thePackagedRuntimeWritesTheAvahiServiceForTheDetectedBoard(@TempDir Path root) throws Exception {
        unpack(root);
        String service = runLauncher(root, "avahi-service", "--root", DOCTOR_FIXTURES.resolve("rpi-4b-good").toString());
        assertTrue(service.contains("<type>_pirt._tcp</type>"), service);
        assertTrue(service.contains("<port>22</port>"), "announced on the SSH port: " + service);
        assertTrue(service.contains("<name replace-wildcards=\"yes\">pirt on %h</name>"), service);
        for (String txt : List.of("board=rpi-4b", "runtime=" + System.getProperty("pirt.version"), "ssh=22", "socket=/run/pirt/wire.sock")) {
            assertTrue(service.contains("<txt-record>" + txt + "</txt-record>"), txt + " in:\n" + service);
        }
        String other = runLauncher(root, "avahi-service", "--board", "rpi-5", "--ssh-port", "2222", "--wire-socket", "/srv/w.sock");
        assertTrue(other.contains("<port>2222</port>") && other.contains("<txt-record>ssh=2222</txt-record>")
                && other.contains("<txt-record>board=rpi-5</txt-record>") && other.contains("<txt-record>socket=/srv/w.sock</txt-record>"), other);
    }

    @Test
    void maintainerScriptsExistAndAreExecutable() {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Entry e = file(control, script);
            assertTrue(e.executable(), script + " mode " + Integer.toOctalString(e.mode()));
            assertTrue(e.text().startsWith("#!/bin/sh\n"), script + " is a POSIX shell script");
            assertTrue(e.text().contains("set -e"), script + " stops at the first failure");
        }
        String postinst = file(control, "postinst").text();
        assertTrue(postinst.contains("adduser --system --group --home /var/lib/pirt"), "a system user pirt");
        assertTrue(postinst.contains("install -d -o pirt -g pirt -m 0750 /var/lib/pirt"), "the state directory, owned by pirt");
        assertTrue(postinst.contains("for g in gpio i2c spi dialout"), "pirt joins gpio, i2c, spi and dialout");
        assertTrue(postinst.contains("systemctl enable pirt-runtime.service"));
        assertTrue(file(control, "prerm").text().contains("systemctl stop pirt-runtime.service"));
        String postrm = file(control, "postrm").text();
        int purge = postrm.indexOf("purge)");
        assertTrue(purge > 0, "postrm handles purge");
        assertTrue(postrm.indexOf("rm -rf /var/lib/pirt") > purge, "the state is deleted on purge only, not on remove");
        assertTrue(postrm.substring(0, purge).contains("systemctl disable pirt-runtime.service"), "remove disables the unit");
    }

    @Test
    void jarsAreSplitIntoTheRuntimeAndTheApplicationLibraries() {
        List<String> runtime = jarsIn(LIB + "/runtime/");
        List<String> app = jarsIn(LIB + "/app/");
        assertHas(runtime, "pirt-runtime-", "picocli-");
        assertHas(app, "pirt-threading-", "pirt-hal-", "pirt-board-profiles-", "jna-", "jSerialComm-", "pi4j-core-",
                "pi4j-plugin-gpiod-", "jackson-databind-", "snakeyaml-");
        // Pi4J's logging API and a provider for it, one of each: no "No SLF4J providers" lines at an application's start.
        assertEquals(List.of("slf4j-api-", "slf4j-simple-"), app.stream().filter(j -> j.startsWith("slf4j-"))
                .map(j -> j.replaceAll("-\\d.*", "-")).toList(), app.toString());
        assertEquals(List.of(), app.stream().filter(j -> j.startsWith("pirt-runtime") || j.startsWith("picocli")).toList(),
                "what the runtime keeps to itself is not on an application's class path");
        assertEquals(List.of(), runtime.stream().filter(app::contains).toList(), "one copy of each jar");
        for (String j : runtime) assertEquals(0644, data.get(LIB + "/runtime/" + j).mode() & 0777, j);
        for (String j : app) assertEquals(0644, data.get(LIB + "/app/" + j).mode() & 0777, j);
    }

    @Test
    void runtimeLibrariesAreTheDaemonWireBundleAndPicocliAndSerialIsAnApplicationLibrary() {
        List<String> runtime = jarsIn(LIB + "/runtime/");
        assertEquals(List.of("picocli-", "pirt-bundle-", "pirt-runtime-", "pirt-wire-"),
                runtime.stream().map(j -> j.replaceAll("\\d.*", "")).sorted().toList(),
                "lib/runtime holds what the daemon adds to an application's class path, nothing else: " + runtime);
        // serial is the one way to open a serial port, the runtime's console's and (docs/architecture.md)
        // hal's Uart's: an application's class path is lib/app alone, the daemon's is both directories.
        assertHas(jarsIn(LIB + "/app/"), "pirt-serial-", "jSerialComm-");
    }

    /** Host-side parts and test infrastructure, as class-file path prefixes inside a jar. */
    private static final List<String> HOST_OR_TEST_PACKAGES = List.of("io/pirt/tools/", "io/pirt/virtualboard/",
            "io/pirt/junit/", "io/pirt/boardtest/", "io/pirt/maven/", "org/junit/", "org/jline/");

    @Test
    void packageCarriesNoHostSideTestInfrastructureOrPseudoTerminalClasses() throws IOException {
        List<String> offending = new ArrayList<>();
        int classes = 0;
        boolean daemonSeen = false;
        for (Map.Entry<String, Entry> e : data.entrySet()) {
            if (e.getValue().directory() || !e.getKey().endsWith(".jar")) continue;
            try (ZipInputStream jar = new ZipInputStream(new ByteArrayInputStream(e.getValue().bytes()))) {
                ZipEntry z;
                while ((z = jar.getNextEntry()) != null) {
                    // Multi-release jars keep versioned copies under META-INF/versions/N/.
                    String name = z.getName().replaceFirst("^META-INF/versions/\\d+/", "");
                    if (!name.endsWith(".class")) continue;
                    classes++;
                    daemonSeen |= name.equals("io/pirt/runtime/Main.class");
                    String simpleName = name.substring(name.lastIndexOf('/') + 1);
                    if (HOST_OR_TEST_PACKAGES.stream().anyMatch(name::startsWith)
                            || simpleName.equals("PseudoTerminal.class") || simpleName.startsWith("PseudoTerminal$")) {
                        offending.add(e.getKey() + "!/" + z.getName());
                    }
                }
            }
        }
        System.out.printf("%s: %,d bytes, %,d classes in its jars%n", deb.getFileName(), Files.size(deb), classes);
        assertTrue(daemonSeen, "the scan reached the daemon's classes (io/pirt/runtime/Main.class)");
        assertEquals(List.of(), offending, "the .deb is the runtime side only: no host client, virtual cable,"
                + " pseudo-terminal, JUnit or jline classes");
    }

    @Test
    void unitRestartsTheRuntimeWithRealtimeLimits() {
        Map<String, List<String>> unit = unitKeys(file(data, "/lib/systemd/system/pirt-runtime.service").text());
        assertEquals(List.of("on-failure"), unit.get("Restart"));
        assertEquals(List.of("2"), unit.get("RestartSec"));
        // The runtime's band is the seven priorities above the highest application level (runtime's
        // SupervisorPriorities): LimitRTPRIO allows its top and no more, for every built-in board.
        int applicationTop = 40; // threading's default table, which an application uses unless told otherwise
        for (io.pirt.boards.BoardProfile p : io.pirt.boards.BoardProfiles.builtIn().all()) {
            applicationTop = Math.max(applicationTop, p.realtime().fifoPriority(io.pirt.boards.RealtimeTable.LEVELS));
        }
        assertEquals(List.of(String.valueOf(applicationTop + 7)), unit.get("LimitRTPRIO"),
                "SCHED_FIFO up to the top of the runtime's band, above the application's " + applicationTop);
        assertEquals(List.of("infinity"), unit.get("LimitMEMLOCK"), "mlockall() for pirt.rt.lockMemory");
        assertEquals(List.of(""), unit.get("CapabilityBoundingSet"), "no capability: real-time comes from the limits");
        assertEquals(List.of(""), unit.get("AmbientCapabilities"));
        assertEquals(List.of("pirt"), unit.get("User"));
        assertEquals(List.of("-/etc/pirt/pirt.conf"), unit.get("EnvironmentFile"));
        assertEquals(List.of("143"), unit.get("SuccessExitStatus"), "a JVM stopped by SIGTERM exits 143");
        assertEquals(List.of("multi-user.target"), unit.get("WantedBy"));

        List<String> exec = unit.get("ExecStart");
        assertEquals(1, exec.size(), "one command line: " + exec);
        String line = exec.get(0);
        assertFalse(line.endsWith("\\"), "no continuation lines: the line is the command");
        assertTrue(line.startsWith("/usr/bin/pirt-runtime "), line);
        assertTrue(data.get("/usr/bin/pirt-runtime").executable(), "the launcher it runs is in the package");
        assertTrue(line.contains(" -J-Xmx64m -J-XX:+UseSerialGC "), "a small heap for the daemon's own JVM: " + line);
        assertTrue(line.contains(" --state /var/lib/pirt "), line);
        assertTrue(line.contains(" --config /etc/pirt "), line);
        assertTrue(line.contains(" --app-libs '" + LIB + "/app/*' "), line);
        assertTrue(line.endsWith(" $PIRT_OPTS"), "pirt.conf's options last, so they can add to the line: " + line);
        assertTrue(line.contains(" --wire-socket /run/pirt/wire.sock $PIRT_OPTS"), "the wire socket, before PIRT_OPTS so it can move it: " + line);
        assertEquals(List.of("pirt"), unit.get("RuntimeDirectory"), "/run/pirt exists for the wire socket");
        assertEquals(List.of("0750"), unit.get("RuntimeDirectoryMode"), "group pirt may reach the socket, others may not");
        assertEquals(List.of("pirt"), unit.get("Group"), "the socket's group is the runtime's: pirt");
        assertFalse(line.contains("--app-jvm-flag"), "the application keeps the runtime's real-time JVM flags");
        assertFalse(line.contains("--dev"), "signed bundles only");
    }

    @Test
    void unitIsANotifyServiceWithAWatchdog() {
        Map<String, List<String>> unit = unitKeys(file(data, "/lib/systemd/system/pirt-runtime.service").text());
        assertEquals(List.of("notify"), unit.get("Type"), "the runtime says READY=1 once its console runs");
        assertEquals(List.of("main"), unit.get("NotifyAccess"), "only the runtime's JVM, not the application's");
        assertEquals(1, unit.get("WatchdogSec").size());
        int watchdogS = Integer.parseInt(unit.get("WatchdogSec").get(0));
        assertTrue(watchdogS >= 10 && watchdogS <= 60, "a keep-alive every " + watchdogS / 2 + " s: " + watchdogS);
    }

    @Test
    void unitIsSandboxedAsFarAsTheRuntimeAllows() {
        Map<String, List<String>> unit = unitKeys(file(data, "/lib/systemd/system/pirt-runtime.service").text());
        Map<String, String> hardening = new LinkedHashMap<>();
        hardening.put("NoNewPrivileges", "yes");
        hardening.put("PrivateTmp", "yes");
        hardening.put("ProtectSystem", "strict");
        hardening.put("StateDirectory", "pirt"); // /var/lib/pirt: the one writable place (store, log, link sockets)
        hardening.put("ProtectHome", "yes");
        hardening.put("ProtectKernelTunables", "yes");
        hardening.put("ProtectKernelModules", "yes");
        hardening.put("ProtectKernelLogs", "yes");
        hardening.put("ProtectControlGroups", "yes");
        hardening.put("RestrictSUIDSGID", "yes");
        hardening.put("DevicePolicy", "closed");
        hardening.put("UMask", "0077");
        hardening.put("OOMPolicy", "continue");
        for (Map.Entry<String, String> h : hardening.entrySet()) {
            assertEquals(List.of(h.getValue()), unit.get(h.getKey()), h.getKey());
        }
        List<String> devices = unit.get("DeviceAllow");
        for (String d : List.of("char-gpiochip rw", "char-i2c rw", "char-spi rw", "char-ttyGS rw", "char-ttyAMA rw", "char-ttyS rw",
                "/dev/cpu_dma_latency rw")) {
            assertTrue(devices.contains(d), "GPIO chips, I2C, SPI and the consoles stay reachable: " + d + " in " + devices);
        }
        List<String> writable = unit.get("ReadWritePaths");
        assertEquals("-/sys/class/leds/ACT -/sys/class/leds/led0", writable.get(0),
                "ProtectKernelTunables makes /sys read-only; the ACT LED's directory (either name, if present) stays writable");
        // Every PWM chip a built-in profile names: its device directory (export, the channels) stays writable.
        List<String> pwmDirs = List.of(writable.get(1).split(" "));
        for (io.pirt.boards.BoardProfile p : io.pirt.boards.BoardProfiles.builtIn().all()) {
            for (io.pirt.boards.PwmChannelSpec c : p.pwmChannels().values()) {
                if (c.chip().equals("sim")) continue;
                assertTrue(pwmDirs.stream().anyMatch(d -> d.startsWith("-/sys/devices/platform/") && d.endsWith("/" + c.chip())),
                        p.id() + "'s " + c.name() + " on " + c.chip() + " has a writable directory in " + pwmDirs);
            }
        }
        assertEquals(2, writable.size(), writable.toString());
        assertNotNull(unit.get("MemoryMax"));
        assertNotNull(unit.get("TasksMax"));
        // What would break the runtime: the JIT writes code, SCHED_FIFO is the point, /var/lib/pirt must stay writable.
        for (String absent : List.of("MemoryDenyWriteExecute", "RestrictRealtime", "PrivateDevices", "ReadOnlyPaths", "ProcSubset")) {
            assertFalse(unit.containsKey(absent), absent + " is left out (the unit says why)");
        }
        assertFalse(String.join(" ", unit.get("SystemCallFilter")).contains("@resources"),
                "sched_setscheduler and sched_setaffinity stay allowed");
    }

    @Test
    void launcherStartsTheRuntimeFromThePackagedJars(@TempDir Path root) throws Exception {
        String launcher = file(data, "/usr/bin/pirt-runtime").text();
        assertTrue(launcher.startsWith("#!/bin/bash\n"), "bash: the launcher uses an array for the -J flags");
        assertTrue(launcher.contains("io.pirt.runtime.Main"));
        for (Map.Entry<String, Entry> e : data.entrySet()) {
            Path p = root.resolve(e.getKey().substring(1));
            if (e.getValue().directory()) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue().bytes());
            }
        }
        // The unit's -J flags with --version: the daemon's JVM starts with them on the class path
        // the launcher builds from the two directories, and the runtime answers.
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("usr/bin/pirt-runtime").toString(),
                "-J-Xmx64m", "-J-XX:+UseSerialGC", "--version").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PIRT_LIB", root.resolve(LIB.substring(1)).toString());
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher ends");
        assertEquals(0, p.exitValue(), out);
        assertEquals("pirt-runtime " + System.getProperty("pirt.version"), out.strip());
    }

    /** The doctor's fixture trees (runtime/src/test/doctor/README.md), read in place so their symbolic links stay links. */
    private static final Path DOCTOR_FIXTURES = Path.of("../runtime/src/test/doctor").toAbsolutePath().normalize();

    @Test
    void boardPirtRunsOnlyDoctorThroughThePackagedRuntimeLauncher(@TempDir Path root) throws Exception {
        Entry pirt = data.get("/usr/bin/pirt");
        assertNotNull(pirt, "/usr/bin/pirt is in the package");
        assertTrue(pirt.executable(), "/usr/bin/pirt is executable");
        assertTrue(pirt.text().contains("exec pirt-runtime doctor"), pirt.text());
        unpack(root);
        for (String script : List.of("pirt", "pirt-runtime")) {
            assertTrue(root.resolve("usr/bin/" + script).toFile().setExecutable(true), script);
        }

        Launched good = runBoardPirt(root, "doctor", "--root", DOCTOR_FIXTURES.resolve("rpi-4b-good").toString(), "--json");
        assertEquals(0, good.exitCode(), good.toString());
        assertTrue(good.out().contains("\"board\" : \"rpi-4b\""), good.toString());
        assertTrue(good.out().contains("\"id\" : \"boot-config\""), good.toString());
        assertFalse(good.out().contains("\"FAIL\""), good.toString());

        Launched cm4 = runBoardPirt(root, "doctor", "--root", DOCTOR_FIXTURES.resolve("rpi-cm4-otg-mode").toString());
        assertEquals(1, cm4.exitCode(), "a failed check exits 1: " + cm4);
        assertTrue(cm4.out().contains("FAIL  UART or USB gadget in config.txt"), cm4.toString());
        assertTrue(cm4.out().contains("comment out otg_mode=1 at line 15, under [cm4] of /boot/firmware/config.txt"), cm4.toString());

        Launched usage = runBoardPirt(root, "doctor", "--board", "no-such-board");
        assertEquals(2, usage.exitCode(), usage.toString());

        Launched other = runBoardPirt(root, "info");
        assertEquals(2, other.exitCode(), other.toString());
        assertTrue(other.err().contains("only 'pirt doctor'") && other.err().contains("your computer"), other.toString());
    }

    /** A process's exit code and output. */
    record Launched(int exitCode, String out, String err) {
    }

    /** The packaged /usr/bin/pirt, run from {@code root} with the packaged pirt-runtime first on PATH. */
    private static Launched runBoardPirt(Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", root.resolve("usr/bin/pirt").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", root.resolve("usr/bin") + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PIRT_LIB", root.resolve(LIB.substring(1)).toString());
        pb.environment().put("PIRT_NATIVE", root.resolve(NATIVE.substring(1)).toString());
        Path err = root.resolve("pirt.err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends: " + cmd);
        return new Launched(p.exitValue(), out, Files.readString(err));
    }

    private static final String NATIVE = "/usr/lib/pirt/native";
    /** jSerialComm's folders for the machines Raspberry Pi OS (armhf, arm64) and a PC run. */
    private static final List<String> JSERIALCOMM_ARCHES = List.of("armv6hf", "armv7hf", "armv8_32", "armv8_64", "x86_64");
    private static final List<String> JNA_PLATFORMS = List.of("linux-arm", "linux-aarch64", "linux-x86-64");

    @Test
    void nativeLibrariesAreRootOwnedCopiesOutOfTheShippedJars() throws IOException {
        byte[] serialJar = data.get(LIB + "/app/" + single(jarsIn(LIB + "/app/"), "jSerialComm-")).bytes();
        byte[] jnaJar = data.get(LIB + "/app/" + single(jarsIn(LIB + "/app/"), "jna-")).bytes();
        Map<String, String> expected = new LinkedHashMap<>();
        for (String a : JSERIALCOMM_ARCHES) expected.put(NATIVE + "/jSerialComm/Linux/" + a + "/libjSerialComm.so", "Linux/" + a + "/libjSerialComm.so");
        for (String p : JNA_PLATFORMS) expected.put(NATIVE + "/jna/" + p + "/libjnidispatch.so", "com/sun/jna/" + p + "/libjnidispatch.so");
        for (Map.Entry<String, String> x : expected.entrySet()) {
            Entry e = file(data, x.getKey());
            assertEquals(0644, e.mode() & 07777, x.getKey() + ": read-only for all, no set-id bits");
            assertEquals("root", e.user(), x.getKey() + " is root's: the service user cannot replace it");
            assertEquals(0, e.uid(), x.getKey());
            byte[] original = resource(x.getKey().contains("/jna/") ? jnaJar : serialJar, x.getValue());
            assertTrue(java.util.Arrays.equals(original, e.bytes()), x.getKey() + " is the jar's " + x.getValue());
        }
        List<String> natives = data.keySet().stream().filter(k -> k.startsWith(NATIVE + "/") && k.endsWith(".so")).sorted().toList();
        assertEquals(expected.keySet().stream().sorted().toList(), natives, "no other native files");
        for (String k : data.keySet()) {
            if (k.startsWith(NATIVE + "/") && data.get(k).directory()) {
                assertEquals(0755, data.get(k).mode() & 07777, k);
                assertEquals("root", data.get(k).user(), k);
            }
        }
    }

    @Test
    void launcherPointsJnaAndJSerialCommAtThePackagedCopiesAndTheyLoadFromThere(@TempDir Path root) throws Exception {
        unpack(root);
        String jna = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "linux-x86-64";
            case "aarch64" -> "linux-aarch64";
            case "arm" -> "linux-arm";
            default -> null;
        };
        org.junit.jupiter.api.Assumptions.assumeTrue(jna != null, "no packaged JNA library for " + System.getProperty("os.arch"));
        Path nativeDir = root.resolve(NATIVE.substring(1));
        // -XshowSettings:properties prints the JVM's properties, then the runtime answers --version.
        String out = runLauncher(root, "-J-XshowSettings:properties", "--version");
        assertTrue(out.contains("jSerialComm.library.path = " + nativeDir.resolve("jSerialComm")), out);
        assertTrue(out.contains("jna.boot.library.path = " + nativeDir.resolve("jna/" + jna)), out);
        assertTrue(out.contains("jna.nounpack = true"), "a missing copy is an error, never an unpacked one:\n" + out);
        // The same start: SLF4J's provider (slf4j-simple) logs warnings and errors only, in this JVM and, passed on, the application's.
        assertTrue(out.contains("org.slf4j.simpleLogger.defaultLogLevel = warn"), out);

        // The same properties in a JVM that loads both libraries, with an empty temporary directory and
        // home of its own: JNA names the file it loaded, and neither library unpacked anything.
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Path home = Files.createDirectories(root.resolve("home"));
        Path probe = root.resolve("NativeProbe.java");
        Files.writeString(probe, """
                public class NativeProbe {
                    public static void main(String[] args) {
                        com.sun.jna.Native.load("c", com.sun.jna.Library.class);
                        System.out.println("jnidispatch.path=" + System.getProperty("jnidispatch.path"));
                        System.out.println("ports=" + com.fazecast.jSerialComm.SerialPort.getCommPorts().length);
                    }
                }
                """);
        Path app = root.resolve(LIB.substring(1)).resolve("app");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-DjSerialComm.library.path=" + nativeDir.resolve("jSerialComm"),
                "-Djna.boot.library.path=" + nativeDir.resolve("jna/" + jna), "-Djna.nounpack=true",
                "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
                "-cp", app.resolve("*").toString(), probe.toString()).redirectErrorStream(true);
        String probed = run(pb);
        assertTrue(probed.contains("jnidispatch.path=" + nativeDir.resolve("jna/" + jna + "/libjnidispatch.so")), probed);
        assertTrue(probed.contains("ports="), "jSerialComm loaded and listed ports:\n" + probed);
        try (Stream<Path> left = Stream.concat(Files.list(tmp), Files.list(home))) {
            assertEquals(List.of(), left.toList(), "nothing unpacked into java.io.tmpdir or the home");
        }
    }

    private static String single(List<String> jars, String prefix) {
        List<String> matching = jars.stream().filter(j -> j.startsWith(prefix)).toList();
        assertEquals(1, matching.size(), prefix + "*.jar: " + jars);
        return matching.get(0);
    }

    private static byte[] resource(byte[] jar, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry z; (z = in.getNextEntry()) != null; ) {
                if (z.getName().equals(name)) return in.readAllBytes();
            }
        }
        throw new AssertionError(name + " is not in the jar");
    }

    private static void unpack(Path root) throws IOException {
        for (Map.Entry<String, Entry> e : data.entrySet()) {
            if (!e.getKey().startsWith("/")) continue; // control.tar's short names
            Path p = root.resolve(e.getKey().substring(1));
            if (e.getValue().directory()) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue().bytes());
            }
        }
    }

    /** The packaged launcher, run from {@code root} as the package test does (PIRT_LIB, PIRT_NATIVE); its output. */
    private static String runLauncher(Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("usr/bin/pirt-runtime").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PIRT_LIB", root.resolve(LIB.substring(1)).toString());
        pb.environment().put("PIRT_NATIVE", root.resolve(NATIVE.substring(1)).toString());
        return run(pb);
    }

    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends");
        assertEquals(0, p.exitValue(), pb.command() + ":\n" + out);
        return out;
    }

    private static void assertHas(List<String> jars, String... prefixes) {
        for (String prefix : prefixes) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix)), prefix + "*.jar in " + jars);
        }
    }

    private static List<String> jarsIn(String dir) {
        return data.keySet().stream()
                .filter(k -> k.startsWith(dir) && k.endsWith(".jar") && k.indexOf('/', dir.length()) < 0)
                .map(k -> k.substring(dir.length()))
                .sorted()
                .toList();
    }

    private static Entry file(Map<String, Entry> archive, String path) {
        Entry e = archive.get(path);
        assertNotNull(e, path + " in the package; it has " + archive.keySet());
        assertFalse(e.directory(), path + " is a file");
        return e;
    }

    /** The members of an {@code ar} archive (the format of a .deb), by name, in order. */
    static Map<String, byte[]> readAr(byte[] archive) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(archive));
        byte[] magic = new byte[8];
        in.readFully(magic);
        assertEquals("!<arch>\n", new String(magic, StandardCharsets.US_ASCII), "ar magic");
        Map<String, byte[]> members = new LinkedHashMap<>();
        byte[] header = new byte[60];
        while (in.available() > 0) {
            in.readFully(header);
            String h = new String(header, StandardCharsets.US_ASCII);
            assertEquals("`\n", h.substring(58, 60), "ar member header end");
            String name = h.substring(0, 16).strip();
            if (name.endsWith("/")) name = name.substring(0, name.length() - 1); // GNU ar spelling
            int size = Integer.parseInt(h.substring(48, 58).strip());
            byte[] body = new byte[size];
            in.readFully(body);
            if (size % 2 == 1) in.skipBytes(1);
            members.put(name, body);
        }
        return members;
    }

    /** The entries of a gzip-compressed tar, by absolute path (directories end with '/'). */
    static Map<String, Entry> readTarGz(byte[] tarGz) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                if (name.startsWith("./")) name = name.substring(1);
                if (!name.startsWith("/")) name = "/" + name;
                if (name.equals("/")) continue;
                byte[] bytes = e.isDirectory() ? new byte[0] : tar.readAllBytes();
                // control.tar entries are plain names (control, postinst): look them up without the slash.
                entries.put(name, new Entry(e.getMode(), e.isDirectory(), bytes, e.getUserName(), e.getLongUserId()));
                if (!name.substring(1).contains("/")) entries.put(name.substring(1), entries.get(name));
            }
        }
        return entries;
    }

    /** Debian control fields; continuation lines are joined to their field. */
    static Map<String, String> controlFields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : text.lines().toList()) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                fields.put(last, fields.get(last) + "\n" + line.strip());
            } else if (line.contains(":")) {
                last = line.substring(0, line.indexOf(':'));
                fields.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return fields;
    }

    /** A systemd unit's assignments, every value of each key in order; comments skipped. */
    static Map<String, List<String>> unitKeys(String unit) {
        return unit.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith(";") && !l.startsWith("[") && l.contains("="))
                .collect(Collectors.groupingBy(l -> l.substring(0, l.indexOf('=')), LinkedHashMap::new,
                        Collectors.mapping(l -> l.substring(l.indexOf('=') + 1), Collectors.toCollection(ArrayList::new))));
    }
}
