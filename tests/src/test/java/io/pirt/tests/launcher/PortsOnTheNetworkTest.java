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
 * {@code ./pirt ports} finds boards announced by mDNS, run through the shipped launcher. Nothing here
 * reaches the real network: the test makes two network namespaces of its own ({@code unshare -n}), a
 * "laptop" and a "board", joined by a veth pair (10.77.0.1 on the laptop's end, 10.77.0.2 and
 * 10.77.0.3 on the board's), and runs {@code ./pirt ports} in the laptop's, the mDNS responders
 * ({@link MdnsResponder}) in the board's. The machine's own interfaces are not touched and see no
 * packet. Needs root (or the right to make namespaces and veth pairs); skipped with the reason otherwise.
 */
@Timeout(120)
class PortsOnTheNetworkTest {
    @TempDir
    static Path dir;
    /** Hold the namespaces open (each one's stdin is a pipe; closing it ends the namespace); null when they could not be made. */
    static Process board;
    static Process laptop;
    static String skipped;

    @BeforeAll
    static void makeNamespaces() throws Exception {
        board = namespace("board", "ip link set lo up");
        if (board == null) return;
        laptop = namespace("laptop", "ip link set lo up && ip link add pirt-laptop type veth peer name pirt-board netns " + board.pid()
                + " && ip addr add 10.77.0.1/24 dev pirt-laptop && ip link set pirt-laptop up");
        if (laptop == null) return;
        Process boardSide = new ProcessBuilder(in(board, "sh", "-c", "ip addr add 10.77.0.2/24 dev pirt-board && ip addr add "
                + "10.77.0.3/24 dev pirt-board && ip link set pirt-board up")).redirectErrorStream(true).start();
        assertTrue(boardSide.waitFor(10, TimeUnit.SECONDS), "the board's end of the veth is configured in time");
        String out = new String(boardSide.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (boardSide.exitValue() != 0) skipped = "the board's end of the veth pair cannot be configured: " + out;
    }

    /** A process holding a new network namespace in which {@code setup} ran, or null with {@link #skipped} saying why. */
    private static Process namespace(String name, String setup) throws Exception {
        Path err = dir.resolve(name + ".err");
        Process p;
        try {
            p = new ProcessBuilder("unshare", "-n", "sh", "-c", setup + " && echo ready && exec cat").redirectError(err.toFile()).start();
        } catch (IOException e) {
            skipped = "unshare cannot be run: " + e.getMessage();
            return null;
        }
        if (!"ready".equals(firstLine(p, 10))) {
            skipped = "no " + name + " network namespace could be made here (needs root or user namespaces, and veth): "
                    + Files.readString(err);
            p.destroy();
            return null;
        }
        return p;
    }

    @AfterAll
    static void endNamespaces() throws Exception {
        for (Process p : new Process[] {laptop, board}) {
            if (p == null) continue;
            p.getOutputStream().close();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "a namespace's holder ends when its stdin closes");
        }
    }

    /** {@code command} run in {@code holder}'s network namespace. */
    private static List<String> in(Process holder, String... command) {
        List<String> result = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(holder.pid()), "-n"));
        result.addAll(List.of(command));
        return result;
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

    /** An {@link MdnsResponder} in the board's namespace, listening once this returns. */
    private static Process responder(String address, String host, String boardId, String runtime, int sshPort, String mode)
            throws Exception {
        List<String> command = in(board, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MdnsResponder.class.getName(),
                address, host, boardId, runtime, String.valueOf(sshPort), mode);
        Process p = new ProcessBuilder(command).redirectError(dir.resolve(host + ".err").toFile()).start();
        String line = firstLine(p, 30);
        assertEquals("listening", line, () -> "the responder for " + host + " is in the mDNS group; stderr: " + read(host + ".err"));
        return p;
    }

    @Test
    void portsListsTheBoardsAnsweringMdnsWithTheirSshAddressWithinTwoSecondsAndNoNetworkSkipsIt() throws Exception {
        assumeTrue(skipped == null, () -> skipped);
        // kitchen answers the PTR question with its SRV, TXT and A beside it; garage answers only what is asked,
        // so its board is listed only if pirt asks for its SRV, TXT and then A itself.
        Process kitchen = responder("10.77.0.2", "kitchen", "rpi-4b", "9.8.7", 2222, "full");
        Process garage = responder("10.77.0.3", "garage", "rpi-zero-2w", "1.2.3", 22, "bare");
        try {
            long start = System.nanoTime();
            Launcher.Run found = Launcher.run(in(laptop), dir, Map.of(), 60, "ports");
            long withNetworkMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(0, found.exitCode(), found::toString);
            assertTrue(found.out().contains("ADDRESS (--port)"), found::toString);
            assertEquals(List.of("rpi-zero-2w  1.2.3    garage.local   10.77.0.3  ssh://garage.local",
                            "rpi-4b       9.8.7    kitchen.local  10.77.0.2  ssh://kitchen.local:2222"),
                    found.out().lines().filter(l -> l.startsWith("rpi-")).toList(),
                    () -> "both boards, sorted by host, with the address for --port; responders' logs:\n" + read("kitchen.err")
                            + read("garage.err") + found);
            assertFalse(found.out().contains("network:"), found::toString);
            assertTrue(found.err().isEmpty(), () -> "nothing on stderr (no SLF4J lines): " + found);

            start = System.nanoTime();
            Launcher.Run skipping = Launcher.run(in(laptop), dir, Map.of(), 60, "ports", "--no-network");
            long withoutNetworkMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(0, skipping.exitCode(), skipping::toString);
            assertFalse(skipping.out().contains("rpi-") || skipping.out().contains("ssh://") || skipping.out().contains("network"),
                    skipping::toString);
            // The same launcher and JVM start in both: the difference is the discovery, 2 s of reading answers.
            long discoveryMs = withNetworkMs - withoutNetworkMs;
            assertTrue(discoveryMs < 2500, "discovery took " + discoveryMs + " ms (" + withNetworkMs + " ms with it, "
                    + withoutNetworkMs + " ms without)");
        } finally {
            for (Process p : new Process[] {kitchen, garage}) {
                p.getOutputStream().close();
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "a responder ends when its stdin closes");
            }
        }
    }

    @Test
    void portsSaysInOneLineThatTheNetworkCannotBeAskedAndStillSucceeds() throws Exception {
        assumeTrue(skipped == null, () -> skipped);
        // An address no interface of the namespace has: no socket can be bound to it.
        Launcher.Run run = Launcher.run(in(laptop), dir, Map.of(), 60, "ports", "--mdns-address", "192.0.2.1");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> network = run.out().lines().filter(l -> l.startsWith("network:")).toList();
        assertEquals(1, network.size(), run::toString);
        assertTrue(network.get(0).contains("192.0.2.1") && network.get(0).contains("no network interface"), run::toString);
        assertTrue(run.out().contains("no boards found"), run::toString);
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
