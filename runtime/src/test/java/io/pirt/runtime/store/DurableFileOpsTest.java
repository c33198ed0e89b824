package io.pirt.runtime.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurableFileOpsTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryFsyncThatFailsIsThrownNotTakenForAFilesystemWithoutSupport() throws Exception {
        List<String> warnings = new ArrayList<>();
        DurableFileOps ops = new DurableFileOps(warnings::add);
        ops.fsyncDirectory(dir); // ext4/tmpfs support it: no warning
        assertEquals(List.of(), warnings);

        assertThrows(NoSuchFileException.class, () -> ops.fsyncDirectory(dir.resolve("gone")));
        assertEquals(List.of(), warnings, "a real failure is not a filesystem without directory fsync");
    }
}
