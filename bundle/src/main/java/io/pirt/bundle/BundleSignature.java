package io.pirt.bundle;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file {@code pirt-bundle.sig}: who signed (key id) and the Ed25519 signature over
 * the domain prefix and the content list (docs/bundle.md, section 4). Immutable.
 *
 * @param signature 64 bytes
 */
record BundleSignature(String keyId, byte[] signature) {
    static final String ALGORITHM = "Ed25519";
    private static final byte[] DOMAIN = "pirt-bundle-signature-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> KEYS = List.of("format", "algorithm", "keyId", "signature");
    private static final int SIGNATURE_BYTES = 64;

    static BundleSignature sign(byte[] contentList, PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        Signature s = Signature.getInstance(ALGORITHM);
        s.initSign(key);
        s.update(DOMAIN);
        s.update(contentList);
        return new BundleSignature(SigningKeys.keyId(publicKey), s.sign());
    }

    /** Whether this signature by {@code key} matches the content list; false for a wrong key type. */
    boolean matches(byte[] contentList, PublicKey key) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(DOMAIN);
            s.update(contentList);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key or signature the provider cannot use is a signature that does not match:
            // the caller refuses the bundle and names the key, so the cause is not lost to the person.
            return false;
        }
    }

    byte[] toBytes() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("format", Integer.toString(BundleManifest.FORMAT));
        v.put("algorithm", ALGORITHM);
        v.put("keyId", keyId);
        v.put("signature", Base64.getEncoder().encodeToString(signature));
        return KeyValueText.format(v);
    }

    /** @throws BundleRejectedException {@code MALFORMED_MANIFEST} naming the field */
    static BundleSignature parse(byte[] bytes) throws BundleRejectedException {
        String entry = BundleLayout.SIGNATURE;
        Map<String, String> v = KeyValueText.parse(entry, bytes, KEYS);
        if (!v.get("format").equals(Integer.toString(BundleManifest.FORMAT))) {
            throw KeyValueText.malformed(entry + ": format '" + ShortText.of(v.get("format")) + "' is not supported");
        }
        if (!v.get("algorithm").equals(ALGORITHM)) {
            throw KeyValueText.malformed(entry + ": algorithm '" + ShortText.of(v.get("algorithm"))
                    + "' is not supported; bundles are signed with Ed25519");
        }
        if (!v.get("keyId").matches("[0-9a-f]{16}")) {
            throw KeyValueText.malformed(entry + ": keyId '" + ShortText.of(v.get("keyId")) + "' is not 16 lowercase hex digits");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(v.get("signature"));
        } catch (IllegalArgumentException e) {
            throw new BundleRejectedException(BundleRejectedException.Reason.MALFORMED_MANIFEST,
                    entry + ": signature is not Base64 (" + e.getMessage() + ")", e);
        }
        if (signature.length != SIGNATURE_BYTES) {
            throw KeyValueText.malformed(entry + ": signature is " + signature.length + " bytes; Ed25519 signatures are 64");
        }
        return new BundleSignature(v.get("keyId"), signature);
    }
}
