package io.pirt.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Checks that span the set of built-in profiles, on small catalogs under src/test/resources. */
class CatalogTest {
    private static final String DIR = "io/pirt/boards/catalogs/";

    private static ProfileException loading(String catalog) {
        return assertThrows(ProfileException.class,
                () -> BoardProfiles.fromClassPath(CatalogTest.class.getClassLoader(), DIR + catalog + "/"));
    }

    @Test
    void twoProfilesMayNotMatchTheSameModel() {
        assertEquals(DIR + "duplicate-match/board-b.yaml: match[0]: \"Test Board\" is already matched by "
                + DIR + "duplicate-match/board-a.yaml; a model must lead to one profile",
                loading("duplicate-match").getMessage());
    }

    @Test
    void indexEntryWithoutAFileIsNamed() {
        assertEquals(DIR + "missing-file/index.yaml: profiles[1]: 'ghost' is listed but "
                + DIR + "missing-file/ghost.yaml does not exist", loading("missing-file").getMessage());
    }

    @Test
    void missingCatalogSaysTheProfilesAreMissingFromTheBuild() {
        assertEquals(DIR + "absent/index.yaml: not found on the class path; the board profiles are missing "
                + "from this build", loading("absent").getMessage());
    }
}
