package io.pirt.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;

/** Resolved artifacts as Maven hands them to a mojo, for the tests. */
final class TestArtifacts {
    static final String PROJECT = "com.example:app:jar:1.0.0";

    private TestArtifacts() {
    }

    /**
     * A resolved jar {@code groupId:artifactId}, reached from the project through {@code via}
     * (each {@code groupId:artifactId}), with its file at {@code /repo/ARTIFACTID.jar}.
     */
    static Artifact jar(String groupAndArtifact, String scope, String... via) {
        String[] ga = groupAndArtifact.split(":");
        DefaultArtifactHandler handler = new DefaultArtifactHandler("jar");
        handler.setAddedToClasspath(true);
        Artifact a = new DefaultArtifact(ga[0], ga[1], "1.0", scope, "jar", null, handler);
        a.setFile(new File("/repo/" + ga[1] + ".jar"));
        List<String> trail = new ArrayList<>();
        trail.add(PROJECT);
        for (String v : via) trail.add(v + ":jar:1.0");
        trail.add(a.getId());
        a.setDependencyTrail(trail);
        return a;
    }
}
