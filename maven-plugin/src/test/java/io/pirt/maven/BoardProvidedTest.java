package io.pirt.maven;

import static io.pirt.maven.TestArtifacts.jar;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoardProvidedTest {
    @Test
    void theApplicationApiAndTheBoardProfilesAreProvided() {
        assertTrue(BoardProvided.isProvided(jar("io.pirt:pirt-threading", "compile")));
        assertTrue(BoardProvided.isProvided(jar("io.pirt:pirt-hal", "compile")));
        assertTrue(BoardProvided.isProvided(jar("io.pirt:pirt-board-profiles", "compile", "io.pirt:pirt-hal")));
    }

    @Test
    void aLibraryThatComesThroughTheApiIsProvided() {
        assertTrue(BoardProvided.isProvided(jar("net.java.dev.jna:jna", "compile", "io.pirt:pirt-threading")));
        assertTrue(BoardProvided.isProvided(jar("com.fasterxml.jackson.core:jackson-core", "compile",
                "io.pirt:pirt-hal", "io.pirt:pirt-board-profiles", "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml")));
    }

    @Test
    void theApplicationsOwnLibrariesAreNot() {
        assertFalse(BoardProvided.isProvided(jar("com.google.code.gson:gson", "compile")));
        assertFalse(BoardProvided.isProvided(jar("org.slf4j:slf4j-api", "runtime", "com.example:lib")));
        // the same library as hal's, when the application asks for it itself, is the application's
        assertFalse(BoardProvided.isProvided(jar("net.java.dev.jna:jna", "compile")));
        // another io.pirt part is not the application API
        assertFalse(BoardProvided.isProvided(jar("io.pirt:pirt-example-lib", "compile")));
    }
}
