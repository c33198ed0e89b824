package io.pirt.tests.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./pirt ports} finds a board announced by mDNS, run through the shipped launcher. Nothing here
 * reaches the real network: the announcer and {@code ./pirt ports} run in a network namespace the test
 * makes ({@code unshare -n}), whose only interface is its own loopback, given the MULTICAST flag there;
 * the machine's interfaces are not touched. Needs root (or the right to make namespaces); skipped otherwise.
 */
@Timeout(120)
class PortsOnTheNetworkTest {
    @TempDir
    static Path dir;
    /** Holds the namespace open (its stdin is a pipe; closing it ends the namespace); null when it could not be made. */
    static Process namespace;
    static String skipped;

    @BeforeAll
    static void makeNamespace() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("unshare", "-n", "sh", "-c",
                "ip link set lo up && ip link set lo multicast on && echo ready && exec cat").redirectError(dir.resolve("ns.err").toFile());
        try {
            namespace = pb.start();
        } catch (IOException e) {
            skipped = "unshare cannot be run: " + e.getMessage();
            return;
        }
        String line = firstLine(namespace, 10);
        if (!"ready".equals(line)) {
            skipped = "no network namespace could be made here (needs root or user namespaces): " + Files.readString(dir.resolve("ns.err"));
            namespace.destroy();
            namespace = null;
        }
    }

    @AfterAll
    static void endNamespace() throws Exception {
        if (namespace == null) return;
        namespace.getOutputStream().close();
        assertTrue(namespace.waitFor(10, TimeUnit.SECONDS), "the namespace's holder ends when its stdin closes");
    }

    private static List<String> inNamespace() {
        return List.of("nsenter", "-t", String.valueOf(namespace.pid()), "-n");
    }

    /** The first line of {@code p}'s stdout within {@code timeoutS}, or null at its end or the timeout. */
    private static String firstLine(Process p, long timeoutS) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return "(reading failed: " + e + ")";
            }
        });
        try {
            return line.get(timeoutS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    @Test
    @org.junit.jupiter.api.Disabled("fails today: JmDNS 3.6.2 probes and announces its own host name before it browses, which takes "
            + "more than the 2 s `pirt ports` gives it (measured: a browse on a namespace's loopback finds an announced service "
            + "with a 6 s list, not with 3 s); the query is to be a one-shot mDNS query (RFC 6762 5.1) instead")
    void portsListsABoardAnnouncedByMdnsWithItsSshAddressAndNoNetworkSkipsIt() throws Exception {
        assumeTrue(namespace != null, () -> skipped);
        List<String> announcerCmd = new ArrayList<>(inNamespace());
        announcerCmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MdnsAnnouncer.class.getName(),
                "127.0.0.1", "kitchen", "rpi-4b", "9.8.7", "2222"));
        Process announcer = new ProcessBuilder(announcerCmd).redirectError(dir.resolve("announcer.err").toFile()).start();
        try {
            String line = firstLine(announcer, 30);
            assertEquals("announced", line, () -> "the announcer registered its service; stderr: " + read("announcer.err"));

            long start = System.nanoTime();
            Launcher.Run found = Launcher.run(inNamespace(), dir, Map.of(), 60, "ports", "--mdns-address", "127.0.0.1");
            long withNetworkMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(0, found.exitCode(), found::toString);
            String row = found.out().lines().filter(l -> l.startsWith("rpi-4b ")).findFirst().orElse(null);
            assertTrue(row != null, () -> "a row for the announced board: " + found);
            assertTrue(row.contains(" 9.8.7 ") && row.contains(" kitchen.local ") && row.endsWith(" ssh://kitchen.local:2222"),
                    () -> "board, runtime, host and the address for --port: " + found);
            assertTrue(found.out().contains("ADDRESS (--port)"), found::toString);

            start = System.nanoTime();
            Launcher.Run skipping = Launcher.run(inNamespace(), dir, Map.of(), 60, "ports", "--no-network", "--mdns-address", "127.0.0.1");
            long withoutNetworkMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(0, skipping.exitCode(), skipping::toString);
            assertFalse(skipping.out().contains("rpi-4b") || skipping.out().contains("ssh://") || skipping.out().contains("network"),
                    skipping::toString);
            // The same launcher and JVM start in both: the difference is the discovery, bounded at 2 s plus the closing grace.
            long discoveryMs = withNetworkMs - withoutNetworkMs;
            assertTrue(discoveryMs < 2700, "discovery took " + discoveryMs + " ms (" + withNetworkMs + " ms with it, "
                    + withoutNetworkMs + " ms without)");
        } finally {
            announcer.getOutputStream().close();
            assertTrue(announcer.waitFor(10, TimeUnit.SECONDS), "the announcer ends when its stdin closes");
        }
    }

    @Test
    void portsSaysInOneLineThatTheNetworkCannotBeAskedAndStillSucceeds() throws Exception {
        assumeTrue(namespace != null, () -> skipped);
        // An address no interface of the namespace has: JmDNS cannot bind to it.
        Launcher.Run run = Launcher.run(inNamespace(), dir, Map.of(), 60, "ports", "--mdns-address", "192.0.2.1");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> network = run.out().lines().filter(l -> l.startsWith("network:")).toList();
        assertEquals(1, network.size(), run::toString);
        assertTrue(network.get(0).contains("192.0.2.1"), run::toString);
    }

    /** A file of the test's directory, for a failure's message: its text, or why it cannot be read. */
    private static String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "(cannot read " + dir.resolve(name) + ": " + e + ")";
        }
    }
}
