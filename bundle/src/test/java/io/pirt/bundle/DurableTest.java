package io.pirt.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurableTest {
    @TempDir
    Path dir;

    @Test
    void onlyNotSupportedIsToleratedWhenSyncingADirectory() throws Exception {
        assertTrue(Durable.syncDirectory(dir) || System.getProperty("os.name").startsWith("Windows"));
        assertThrows(NoSuchFileException.class, () -> Durable.syncDirectory(dir.resolve("gone")));

        assertTrue(Durable.meansNotSupported(new IOException("Invalid argument")), "EINVAL");
        assertTrue(Durable.meansNotSupported(new IOException("Operation not supported")), "ENOTSUP");
        assertFalse(Durable.meansNotSupported(new IOException("Input/output error")), "EIO is a failure");
        assertFalse(Durable.meansNotSupported(new IOException("No space left on device")), "ENOSPC is a failure");
        assertFalse(Durable.meansNotSupported(new AccessDeniedException(dir.toString())), "EACCES is a failure");
        assertFalse(Durable.meansNotSupported(new IOException((String) null)));
    }
}
