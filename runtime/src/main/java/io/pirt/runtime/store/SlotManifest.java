package io.pirt.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.stream.Stream;

/**
 * What {@code slot.properties} says (docs/store.md, version 1): the content, the install's
 * generation, and the size and SHA-256 of every file under {@code jars/}, so a boot can tell
 * a complete slot from one cut short or damaged.
 *
 * @param files sorted by path
 */
record SlotManifest(long generation, SlotContent content, List<FileHash> files) {
    static final String FILE_NAME = "slot.properties";
    static final String JARS = "jars";
    private static final int FORMAT = 1;
    private static final int BUFFER_BYTES = 64 * 1024;

    /** One extracted file: its path under {@code jars/} with '/' separators. */
    record FileHash(String sha256, long sizeBytes, String path) {}

    SlotManifest {
        files = List.copyOf(files);
    }

    /**
     * Hashes every file under {@code jarsDir}.
     *
     * @throws IOException if it cannot be read, holds no file, or holds something other than
     *                     directories and regular files
     */
    static SlotManifest scan(long generation, SlotContent content, Path jarsDir) throws IOException {
        List<FileHash> files = new ArrayList<>();
        for (Path file : entries(jarsDir)) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("extracted entry " + file + " is neither a file nor a directory;"
                        + " a bundle may hold only plain files");
            }
            String path = relative(jarsDir, file);
            if (path.chars().anyMatch(Character::isISOControl)) {
                throw new IOException("extracted file name has a control character: " + file
                        + "; the bundle must use plain file names");
            }
            files.add(new FileHash(hash(file), Files.size(file), path));
        }
        if (files.isEmpty()) {
            throw new IOException("the bundle's extraction wrote no file into " + jarsDir);
        }
        return new SlotManifest(generation, content, files);
    }

    /**
     * Reads {@code slotDir/slot.properties} and checks every file it lists.
     *
     * @throws CheckedFile.Corrupt saying what is missing or wrong, when the slot is not complete
     *                             and verified or holds another generation than {@code generation}
     * @throws IOException         when a file exists but cannot be read
     */
    static SlotManifest load(Path slotDir, long generation) throws IOException, CheckedFile.Corrupt {
        String where = slotDir.getFileName() + "/" + FILE_NAME;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(slotDir.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            throw new CheckedFile.Corrupt(slotDir.getFileName() + " has no " + FILE_NAME + " (missing or never completed)");
        }
        SlotManifest m = decode(bytes, where);
        if (m.generation != generation) {
            throw new CheckedFile.Corrupt(slotDir.getFileName() + " holds generation " + m.generation
                    + ", not " + generation + " (rewritten by an install that did not finish)");
        }
        m.verify(slotDir.resolve(JARS));
        return m;
    }

    private void verify(Path jarsDir) throws IOException, CheckedFile.Corrupt {
        String where = jarsDir.getParent().getFileName() + "/" + JARS;
        List<Path> present;
        try {
            present = entries(jarsDir);
        } catch (NoSuchFileException e) {
            throw new CheckedFile.Corrupt(where + " is missing");
        }
        if (present.size() != files.size()) {
            throw new CheckedFile.Corrupt(where + " holds " + present.size() + " files; "
                    + FILE_NAME + " lists " + files.size());
        }
        for (FileHash f : files) {
            Path file = jarsDir.resolve(f.path);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new CheckedFile.Corrupt(where + "/" + f.path + " is missing");
            }
            if (Files.size(file) != f.sizeBytes) {
                throw new CheckedFile.Corrupt(where + "/" + f.path + " has " + Files.size(file)
                        + " bytes; " + FILE_NAME + " says " + f.sizeBytes);
            }
            if (!hash(file).equals(f.sha256)) {
                throw new CheckedFile.Corrupt(where + "/" + f.path + " does not match its SHA-256");
            }
        }
    }

    byte[] encode() {
        SequencedMap<String, String> e = new LinkedHashMap<>();
        e.put("format", Integer.toString(FORMAT));
        e.put("generation", Long.toString(generation));
        e.put("name", content.name());
        e.put("version", content.version());
        e.put("mainClass", content.mainClass());
        e.put("mainPriority", Integer.toString(content.mainPriority()));
        e.put("bundleSha256", content.sha256());
        e.put("files", Integer.toString(files.size()));
        for (int i = 0; i < files.size(); i++) {
            FileHash f = files.get(i);
            e.put("file." + i, f.sha256 + " " + f.sizeBytes + " " + f.path);
        }
        return CheckedFile.encode(e);
    }

    static SlotManifest decode(byte[] bytes, String where) throws CheckedFile.Corrupt {
        SequencedMap<String, String> e = CheckedFile.decode(bytes, where);
        long format = CheckedFile.requireLong(e, "format", where);
        if (format != FORMAT) {
            throw new CheckedFile.Corrupt(where + " has format " + format + "; this runtime reads format " + FORMAT);
        }
        long count = CheckedFile.requireLong(e, "files", where);
        List<FileHash> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String line = CheckedFile.require(e, "file." + i, where);
            String[] parts = line.split(" ", 3);
            try {
                files.add(new FileHash(parts[0], Long.parseLong(parts[1]), parts[2]));
            } catch (RuntimeException ex) {
                throw new CheckedFile.Corrupt(where + ": file." + i + " is not '<sha256> <size> <path>': " + line);
            }
        }
        try {
            SlotContent content = new SlotContent(CheckedFile.require(e, "name", where),
                    CheckedFile.require(e, "version", where), CheckedFile.require(e, "mainClass", where),
                    Math.toIntExact(CheckedFile.requireLong(e, "mainPriority", where)),
                    CheckedFile.require(e, "bundleSha256", where));
            return new SlotManifest(CheckedFile.requireLong(e, "generation", where), content, files);
        } catch (IllegalArgumentException | ArithmeticException ex) {
            throw new CheckedFile.Corrupt(where + ": " + ex.getMessage());
        }
    }

    /** Every entry under {@code dir} that is not a directory (symbolic links not followed), sorted. */
    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static String hash(Path file) throws IOException {
        MessageDigest md = CheckedFile.digest();
        byte[] buf = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
