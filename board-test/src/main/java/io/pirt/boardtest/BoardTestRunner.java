package io.pirt.boardtest;

import io.pirt.hal.Supervisor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * The main class of a test bundle (docs/testing.md): runs the bundle's JUnit tests on the
 * board, inside the application process the runtime started, with the JUnit Platform
 * launcher, and reports each one as a structured event ({@link Supervisor#report}) that the
 * runtime passes on to {@code pirt test} on the host.
 *
 * <p>Arguments: {@code --tests JAR_FILE_NAME} (the class path entry whose classes are the
 * tests; repeatable), {@code --include-tag T}, {@code --exclude-tag T},
 * {@code --select CLASS} or {@code --select CLASS#METHOD} (repeatable; default: every test in
 * the tests jars). Exit status 0 when the run completed (whatever its results: the results
 * travel as events), 2 on bad arguments.
 */
public final class BoardTestRunner {
    private BoardTestRunner() {
    }

    public static void main(String[] args) {
        List<String> testJars = new ArrayList<>();
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        List<String> select = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) usage("option " + args[i] + " needs a value");
            switch (args[i]) {
                case "--tests" -> testJars.add(args[++i]);
                case "--include-tag" -> include.add(args[++i]);
                case "--exclude-tag" -> exclude.add(args[++i]);
                case "--select" -> select.add(args[++i]);
                default -> usage("unknown option " + args[i]);
            }
        }
        // JUnit's own capture stays off: it would hold a test's output until the test ends, and a test
        // that hangs would lose it; TestEvents sends it as it is printed instead.
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("junit.platform.output.capture.stdout", "false")
                .configurationParameter("junit.platform.output.capture.stderr", "false");
        request.selectors(selectors(testJars, select));
        if (!include.isEmpty()) request.filters(TagFilter.includeTags(include));
        if (!exclude.isEmpty()) request.filters(TagFilter.excludeTags(exclude));
        LauncherDiscoveryRequest discovery = request.build();

        PrintStream out = System.out;
        TestEvents events = new TestEvents(Supervisor::report);
        Launcher launcher = LauncherFactory.create();
        out.println("pirt test runner: discovering tests in " + (select.isEmpty() ? testJars : select));
        try (TestEvents.Capture streams = events.captureStandardStreams()) {
            launcher.execute(discovery, events);
        }
        out.println("pirt test runner: " + events.summary());
        System.out.flush();
        System.exit(0);
    }

    private static List<DiscoverySelector> selectors(List<String> testJars, List<String> select) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String s : select) {
            int hash = s.indexOf('#');
            selectors.add(hash < 0 ? DiscoverySelectors.selectClass(s) : DiscoverySelectors.selectMethod(s));
        }
        if (!selectors.isEmpty()) return selectors;
        Set<Path> roots = new HashSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName() != null && testJars.contains(p.getFileName().toString())) roots.add(p);
        }
        if (roots.size() != testJars.size()) {
            usage("the tests " + testJars + " are not all on the class path " + System.getProperty("java.class.path"));
        }
        return new ArrayList<>(DiscoverySelectors.selectClasspathRoots(roots));
    }

    private static void usage(String problem) {
        System.err.println("pirt test runner: " + problem);
        System.exit(2);
    }
}
