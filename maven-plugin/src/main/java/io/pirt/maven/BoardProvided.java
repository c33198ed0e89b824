package io.pirt.maven;

import java.util.List;
import java.util.Set;
import org.apache.maven.artifact.Artifact;

/**
 * What a board already has for every application and a bundle must not carry: the
 * application API (pirt-threading, pirt-hal), the board profiles hal reads, and every
 * library that comes into a project only through them (JNA, Pi4J, jSerialComm, Jackson...).
 * The runtime puts its own copies on the application's class path (runtime/.../AppLibraries);
 * a bundled copy would come first there and shadow the board's.
 */
final class BoardProvided {
    /** {@code groupId:artifactId} of the parts the board provides. */
    static final Set<String> PARTS = Set.of("io.pirt:pirt-threading", "io.pirt:pirt-hal", "io.pirt:pirt-board-profiles");

    private BoardProvided() {
    }

    /** True for a board-provided part, or a library on a dependency path through one. */
    static boolean isProvided(Artifact a) {
        if (PARTS.contains(a.getGroupId() + ":" + a.getArtifactId())) return true;
        List<String> trail = a.getDependencyTrail();
        if (trail == null) return false;
        // trail: the project first, then each artifact on the path, as groupId:artifactId:type[:classifier]:version
        for (String id : trail) {
            String[] f = id.split(":");
            if (f.length >= 2 && PARTS.contains(f[0] + ":" + f[1])) return true;
        }
        return false;
    }
}
