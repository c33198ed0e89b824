package io.pirt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.AppJvmSettings;
import io.pirt.boards.BoardProfiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppJvmTest {
    @Test
    void a64BitJvmGetsTheProfilesCollectorAndAFixedPreTouchedHeap() {
        AppJvm jvm = AppJvm.choose(new AppJvmSettings("zgc", 256), "rpi-4b", "64", "aarch64");
        assertEquals(List.of("-XX:+UseZGC", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"), jvm.flags());
        assertEquals("board profile rpi-4b on a 64-bit JVM (aarch64)", jvm.why());
    }

    @Test
    void a32BitJvmFallsBackToTheSerialCollectorAndSaysWhy() {
        // 32-bit Raspberry Pi OS (armhf): OpenJDK's ZGC needs a 64-bit JVM.
        AppJvm jvm = AppJvm.choose(new AppJvmSettings("zgc", 128), "rpi-zero-2w", "32", "arm");
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch"), jvm.flags());
        assertTrue(jvm.why().contains("serial instead of the profile's ZGC: this is a 32-bit JVM (arm)"), jvm.why());
    }

    @Test
    void aCollectorEveryJvmHasIsKeptOn32Bit() {
        assertEquals("-XX:+UseG1GC", AppJvm.choose(new AppJvmSettings("g1", 64), "custom", "32", "arm").flags().get(0));
        assertEquals("-XX:+UseSerialGC", AppJvm.choose(new AppJvmSettings("serial", 64), "custom", "64", "amd64").flags().get(0));
    }

    @Test
    void flagsFromTheCommandLineReplaceTheProfilesAndSaySo() {
        AppJvm jvm = AppJvm.given(List.of("-Xmx64m"));
        assertEquals(List.of("-Xmx64m"), jvm.flags());
        assertEquals("given with --app-jvm-flag", jvm.why());
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void theFlagsChosenHereStartAJvm() throws Exception {
        // What the runtime would give an application on this machine's JVM, for the smallest board's
        // heap: the JVM must accept them (a typo in a flag would only show when an application starts).
        AppJvm jvm = AppJvm.forThisJvm(BoardProfiles.builtIn().get("rpi-zero-2w").appJvm(), "rpi-zero-2w");
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvm.flags());
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "java -version ended");
        assertEquals(0, p.exitValue(), cmd + " printed: " + out);
    }
}
