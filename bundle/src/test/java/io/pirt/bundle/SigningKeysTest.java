package io.pirt.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SigningKeysTest {
    @TempDir
    Path dir;

    @Test
    void keysRoundTripThroughPemAndThePrivateKeyIsOwnerOnly() throws Exception {
        KeyPair pair = SigningKeys.generate();
        Path key = dir.resolve("ci.key"), pub = dir.resolve("ci.pub");
        SigningKeys.writePrivateKey(pair.getPrivate(), key);
        SigningKeys.writePublicKey(pair.getPublic(), pub);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        KeyPair read = SigningKeys.readKeyPair(key, pub);
        assertArrayEquals(pair.getPrivate().getEncoded(), read.getPrivate().getEncoded());
        assertArrayEquals(pair.getPublic().getEncoded(), read.getPublic().getEncoded());
        assertTrue(SigningKeys.keyId(pair.getPublic()).matches("[0-9a-f]{16}"));
    }

    @Test
    void keysAreNeverOverwritten() throws Exception {
        KeyPair pair = SigningKeys.generate();
        Path key = dir.resolve("ci.key");
        SigningKeys.writePrivateKey(pair.getPrivate(), key);
        String before = Files.readString(key);
        assertThrows(FileAlreadyExistsException.class,
                () -> SigningKeys.writePrivateKey(SigningKeys.generate().getPrivate(), key));
        assertEquals(before, Files.readString(key));
    }

    @Test
    void mismatchedKeyPairIsRefusedNamingBothFiles() throws Exception {
        Path key = dir.resolve("a.key"), pub = dir.resolve("b.pub");
        SigningKeys.writePrivateKey(SigningKeys.generate().getPrivate(), key);
        SigningKeys.writePublicKey(SigningKeys.generate().getPublic(), pub);
        IOException e = assertThrows(IOException.class, () -> SigningKeys.readKeyPair(key, pub));
        assertTrue(e.getMessage().contains("a.key") && e.getMessage().contains("b.pub"), e.getMessage());
    }

    @Test
    void trustedKeysAreThePubFilesOfTheDirectoryAndABrokenOneIsNamed() throws Exception {
        KeyPair a = SigningKeys.generate(), b = SigningKeys.generate();
        SigningKeys.writePublicKey(a.getPublic(), dir.resolve("a.pub"));
        SigningKeys.writePublicKey(b.getPublic(), dir.resolve("b.pub"));
        Files.writeString(dir.resolve("README"), "not a key");
        TrustedKeys trusted = TrustedKeys.load(dir);
        assertEquals(List.of(SigningKeys.keyId(a.getPublic()), SigningKeys.keyId(b.getPublic())).stream().sorted().toList(),
                trusted.keyIds());

        Files.writeString(dir.resolve("broken.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        IOException e = assertThrows(IOException.class, () -> TrustedKeys.load(dir));
        assertTrue(e.getMessage().contains("broken.pub"), e.getMessage());

        assertEquals(List.of(), TrustedKeys.load(dir.resolve("absent")).keyIds());
    }

    @Test
    void versionsCompareNumericallyAndAQualifierIsOlder() {
        assertTrue(Version.parse("1.10.0").compareTo(Version.parse("1.9.0")) > 0);
        assertTrue(Version.parse("1.0.0-rc.1").compareTo(Version.parse("1.0.0")) < 0);
        assertTrue(Version.parse("0.1.0-SNAPSHOT").compareTo(Version.parse("0.1.0")) < 0);
        assertEquals("0.1.0-SNAPSHOT", Version.parse("0.1.0-SNAPSHOT").toString());
        for (String bad : List.of("1.0", "01.0.0", "1.0.0-", "1.0.0 ", "9999999999.0.0", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Version.parse(bad), bad);
            assertTrue(e.getMessage().contains("MAJOR.MINOR.PATCH"));
        }
    }
}
