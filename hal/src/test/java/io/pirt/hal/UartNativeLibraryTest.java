package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where jSerialComm's native library comes from when pirt.native.dir is set, and what a
 * load failure says. (A real noexec mount needs root and mount(8), so the failure itself is
 * not provoked here; docs/hal.md records how it was checked by hand.)
 */
class UartNativeLibraryTest {
    @Test
    void extractionCopiesEachLinuxLibraryInTheLayoutJSerialCommLoadsFrom(@TempDir Path dir) throws Exception {
        Class<?> serialPort = Class.forName(UartNativeLibrary.SERIAL_PORT_CLASS, false, getClass().getClassLoader());
        Path root = UartNativeLibrary.extractTo(dir, serialPort);
        assertEquals(dir.resolve("jSerialComm-2.11.4"), root);
        for (String arch : UartNativeLibrary.LINUX_ARCHITECTURES) {
            Path lib = root.resolve("Linux").resolve(arch).resolve("libjSerialComm.so");
            try (InputStream original = serialPort.getResourceAsStream("/Linux/" + arch + "/libjSerialComm.so")) {
                assertArrayEquals(original.readAllBytes(), Files.readAllBytes(lib), arch);
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".part")).count(), "no partial files left");
        }
    }

    @Test
    void aSecondExtractionKeepsTheFilesThere(@TempDir Path dir) throws Exception {
        Class<?> serialPort = Class.forName(UartNativeLibrary.SERIAL_PORT_CLASS, false, getClass().getClassLoader());
        Path lib = UartNativeLibrary.extractTo(dir, serialPort).resolve("Linux/x86_64/libjSerialComm.so");
        FileTime old = FileTime.fromMillis(0);
        Files.setLastModifiedTime(lib, old);
        UartNativeLibrary.extractTo(dir, serialPort);
        assertEquals(old, Files.getLastModifiedTime(lib));
    }

    @Test
    void anUnwritableDirectoryIsAnIOException(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Class<?> serialPort;
        try {
            serialPort = Class.forName(UartNativeLibrary.SERIAL_PORT_CLASS, false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        try {
            UartNativeLibrary.extractTo(file, serialPort);
            throw new AssertionError("extracting under a regular file succeeded");
        } catch (IOException expected) {
            // createDirectories fails: the path is a file
        }
    }

    @Test
    void theLoadFailureMessageNamesJSerialCommsDirectoriesAndTheSetting() {
        String m = UartNativeLibrary.loadFailureMessage(null, null, null, "2.11.4", "failed to map segment from shared object");
        String tmp = System.getProperty("java.io.tmpdir");
        assertTrue(m.contains(Path.of(tmp, "jSerialComm", "2.11.4").toString()), m);
        assertTrue(m.contains(Path.of(System.getProperty("user.home"), ".jSerialComm", "2.11.4").toString()), m);
        assertTrue(m.contains("noexec") && m.contains("-Dpirt.native.dir=") && m.contains("findmnt"), m);
        assertTrue(m.endsWith("jSerialComm said: failed to map segment from shared object"), m);
    }

    @Test
    void jSerialCommsErrorListIsReducedToTheFailuresThatMatter() {
        // The shape of jSerialComm 2.11.4's UnsatisfiedLinkError on a noexec /tmp and home (seen by hand).
        String list = "Cannot load native library. Errors as follows:\n"
                + "[1]: no jSerialComm in java.library.path: /usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib\n"
                + "[2]: Loading for arch: x86_64\n"
                + "[3]: /tmp/jSerialComm/2.11.4/libjSerialComm.so: /tmp/jSerialComm/2.11.4/libjSerialComm.so: failed to map"
                + " segment from shared object\n"
                + "[4]: Loading for arch: x86\n"
                + "[5]: /tmp/jSerialComm/2.11.4/libjSerialComm.so: /tmp/jSerialComm/2.11.4/libjSerialComm.so: wrong ELF"
                + " class: ELFCLASS32 (Possible cause: can't load IA 32 .so on a AMD 64 platform)\n"
                + "[6]: /tmp/jSerialComm/2.11.4/libjSerialComm.so: /tmp/jSerialComm/2.11.4/libjSerialComm.so: cannot open"
                + " shared object file: No such file or directory\n"
                + "[7]: /home/pi/.jSerialComm/2.11.4/libjSerialComm.so: /home/pi/.jSerialComm/2.11.4/libjSerialComm.so:"
                + " failed to map segment from shared object\n";
        assertEquals("/tmp/jSerialComm/2.11.4/libjSerialComm.so: failed to map segment from shared object;"
                + " /home/pi/.jSerialComm/2.11.4/libjSerialComm.so: failed to map segment from shared object",
                UartNativeLibrary.essentialErrors(list));
        assertEquals("something else; entirely", UartNativeLibrary.essentialErrors("something else\n entirely"));
        assertEquals("Cannot load native library. Errors as follows: [1]: Loading for arch: x86",
                UartNativeLibrary.essentialErrors("Cannot load native library. Errors as follows:\n[1]: Loading for arch: x86\n"),
                "when nothing is left, the whole message");
    }

    @Test
    void theLoadFailureMessageBlamesTheChosenDirectoryWhenThereIsOne() {
        Path root = Path.of("/opt/pirt/native/jSerialComm-2.11.4");
        String m = UartNativeLibrary.loadFailureMessage("/opt/pirt/native", root, root.toString(), "2.11.4", "x");
        assertTrue(m.contains("pirt extracted it into " + root + " (pirt.native.dir=/opt/pirt/native): is that filesystem"
                + " mounted noexec?"), m);
    }
}
