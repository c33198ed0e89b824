package io.pirt.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 signing keys: made with the JDK's own provider, stored as standard PEM
 * (private: PKCS#8 {@code PRIVATE KEY}, created owner-only; public: X.509
 * {@code PUBLIC KEY}), and named by a key id (docs/bundle.md, section 7).
 * Stateless and thread-safe.
 */
public final class SigningKeys {
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    /** A PEM key file is a few hundred bytes; anything much larger is not a key. */
    private static final long MAX_PEM_BYTES = 16 << 10;

    private SigningKeys() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(BundleSignature.ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (it is standard since Java 15)", e);
        }
    }

    /**
     * The key id: the first 16 hex digits of SHA-256 of the public key's X.509 encoding.
     */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every JDK must have", e);
        }
    }

    /**
     * Writes the private key as PEM to a new file readable and writable by its owner only
     * (0600 from creation where the file system has POSIX permissions).
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists: a key is never overwritten
     */
    public static void writePrivateKey(PrivateKey key, Path file) throws IOException {
        byte[] pem = pem(PRIVATE_LABEL, key.getEncoded());
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && file.getFileSystem() == FileSystems.getDefault();
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Files.createFile(file, ownerOnly);
        if (!posix) {
            java.io.File f = file.toFile();
            if (!(f.setReadable(false, false) && f.setReadable(true, true)
                    && f.setWritable(false, false) && f.setWritable(true, true))) {
                Files.delete(file);
                throw new IOException(file + ": cannot make the private key file owner-only; not written");
            }
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            out.write(pem);
        } catch (IOException | RuntimeException e) {
            Durable.deleteQuietlyInto(file, e); // a half-written key is worse than none
            throw e;
        }
    }

    /**
     * Writes the public key as PEM; it may be shared freely.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists
     */
    public static void writePublicKey(PublicKey key, Path file) throws IOException {
        Files.write(file, pem(PUBLIC_LABEL, key.getEncoded()), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    }

    /** @throws IOException naming the file if it cannot be read or is not an Ed25519 private key in PEM */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] der = readPem(file, PRIVATE_LABEL);
        try {
            return KeyFactory.getInstance(BundleSignature.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not an Ed25519 private key (" + e.getMessage() + ")", e);
        }
    }

    /** @throws IOException naming the file if it cannot be read or is not an Ed25519 public key in PEM */
    public static PublicKey readPublicKey(Path file) throws IOException {
        byte[] der = readPem(file, PUBLIC_LABEL);
        try {
            return KeyFactory.getInstance(BundleSignature.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads a private and a public key and checks that they belong together.
     *
     * @throws IOException naming both files if they do not
     */
    public static KeyPair readKeyPair(Path privateKeyFile, Path publicKeyFile) throws IOException {
        PrivateKey privateKey = readPrivateKey(privateKeyFile);
        PublicKey publicKey = readPublicKey(publicKeyFile);
        byte[] probe = "pirt key pair check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature s = Signature.getInstance(BundleSignature.ALGORITHM);
            s.initSign(privateKey);
            s.update(probe);
            byte[] signature = s.sign();
            s.initVerify(publicKey);
            s.update(probe);
            if (s.verify(signature)) {
                return new KeyPair(publicKey, privateKey);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check the key pair " + privateKeyFile + " / " + publicKeyFile
                    + ": " + e.getMessage(), e);
        }
        throw new IOException(publicKeyFile + " is not the public key of " + privateKeyFile
                + " (key id " + keyId(publicKey) + "); pick the .pub file made with that private key");
    }

    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] readPem(Path file, String label) throws IOException {
        long size = Files.size(file);
        if (size > MAX_PEM_BYTES) {
            throw new IOException(file + ": " + size + " bytes is too large for a PEM key file");
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + label + "-----", end = "-----END " + label + "-----";
        int b = text.indexOf(begin), e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IOException(file + ": no '" + begin + "' ... '" + end + "' block; expected a PEM "
                    + label.toLowerCase(java.util.Locale.ROOT) + " as written by pirt or openssl");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + ": the PEM block is not Base64 (" + ex.getMessage() + ")", ex);
        }
    }
}
