package io.pirt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonReportTest {
    @TempDir
    Path dir;

    private static String run(String phase, String config, int rep, double p99, double max) {
        return "phase=" + phase + " config=" + config + " rep=" + rep + " RESULT tool=x samples=100 min_us=1.0 avg_us=2.0 p99_us="
                + p99 + " p999_us=" + (p99 + 1) + " max_us=" + max + " hlog=/nonexistent";
    }

    private RunResults results() throws IOException {
        Path f = dir.resolve("results.txt");
        Files.writeString(f, String.join("\n",
                "# a comment",
                run("loaded", "cyclictest", 1, 10, 100),
                run("loaded", "cyclictest", 2, 12, 50),
                run("loaded", "cyclictest", 3, 11, 70),
                run("loaded", "pirt-a", 1, 30, 900),
                run("loaded", "pirt-a", 2, 14, 150),
                run("loaded", "pirt-a", 3, 16, 200)) + "\n");
        return RunResults.read(f);
    }

    private BenchConfigs configs() throws IOException {
        Path f = dir.resolve("configs.tsv");
        Files.writeString(f, "cyclictest\t-\tcyclictest -m -p 40\npirt-a\tcyclictest\tdefault flags\n");
        return BenchConfigs.read(f);
    }

    @Test
    void theMedianRunIsTheMiddleOneByP99() throws IOException {
        RunResults r = results();
        assertEquals("3", r.median("loaded", "cyclictest").orElseThrow().text("rep")); // p99 10, 11, 12
        assertEquals("3", r.median("loaded", "pirt-a").orElseThrow().text("rep"));     // p99 14, 16, 30
    }

    @Test
    void ratiosAreTakenBetweenMedianRunsAndJudgedAgainstTheTarget() throws IOException {
        String md = new ComparisonReport().markdown(results(), configs());
        // pirt-a median: p99 16, max 200; cyclictest median: p99 11, max 70.
        assertTrue(md.contains("| pirt-a | 3 | 1.0 | 2.0 | 16.0 | 17.0 | 200.0 | 1.45× | 2.86× | 900.0, 150.0, 200.0 |"), md);
        assertTrue(md.contains("pirt-a: p99 1.45×, max 2.86× → **meets**"), md);
    }

    @Test
    void aConfigurationReferringToAnUnknownOneIsRefused() throws IOException {
        Path f = dir.resolve("bad.tsv");
        Files.writeString(f, "pirt-a\tcyclictest\tdefault flags\n");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> BenchConfigs.read(f));
        assertTrue(e.getMessage().contains("cyclictest"), e.getMessage());
    }
}
