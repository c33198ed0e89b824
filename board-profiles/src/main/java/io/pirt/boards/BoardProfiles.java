package io.pirt.boards;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The board profiles pirt knows: the built-in ones, loaded from the class path and checked
 * as a whole, plus any profile file a user passes ({@link #loadFile}). Immutable and safe
 * to share between threads; each call of {@link #builtIn()} reads the profiles afresh.
 *
 * <p>The format is docs/board-profiles.md. Every method that reads a profile throws
 * {@link ProfileException} with a message naming the file, the field and the problem.
 */
public final class BoardProfiles {
    /** Class-path folder of the built-in profiles and their {@code index.yaml}. */
    static final String BUILT_IN_DIR = "io/pirt/boards/profiles/";

    /** Built-in documents by id, in index order; what user files may extend. */
    private final Map<String, ProfileDocument> documents;

    /** Built-in profiles by id, in index order; same keys as documents. */
    private final Map<String, BoardProfile> profiles;

    private BoardProfiles(Map<String, ProfileDocument> documents, Map<String, BoardProfile> profiles) {
        this.documents = Collections.unmodifiableMap(documents);
        this.profiles = Collections.unmodifiableMap(profiles);
    }

    /**
     * Loads and checks the built-in profiles.
     *
     * @throws ProfileException if a built-in profile is broken (a build that passed its
     *                          tests never throws this)
     */
    public static BoardProfiles builtIn() {
        return fromClassPath(BoardProfiles.class.getClassLoader(), BUILT_IN_DIR);
    }

    /** Loads the profiles listed in {@code dir + "index.yaml"} on the class path. */
    static BoardProfiles fromClassPath(ClassLoader loader, String dir) {
        String indexFile = dir + "index.yaml";
        List<String> ids = ProfileReader.readIndex(indexFile, ProfileReader.parse(indexFile, open(loader, indexFile)));
        Map<String, ProfileDocument> documents = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String file = dir + ids.get(i) + ".yaml";
            InputStream in = loader.getResourceAsStream(file);
            if (in == null) {
                throw new ProfileException(indexFile + ": profiles[" + i + "]: '" + ids.get(i)
                        + "' is listed but " + file + " does not exist");
            }
            documents.put(ids.get(i), ProfileReader.read(file, null, ids.get(i), ProfileReader.parse(file, in)));
        }
        ProfileResolver.Lookup builtIns = new ProfileResolver.Lookup() {
            @Override
            public Optional<ProfileDocument> find(String id, ProfileDocument from) {
                return Optional.ofNullable(documents.get(id));
            }

            @Override
            public String searched(String id, ProfileDocument from) {
                return "built-in profiles: " + String.join(", ", documents.keySet());
            }
        };
        Map<String, BoardProfile> profiles = new LinkedHashMap<>();
        for (ProfileDocument d : documents.values()) {
            profiles.put(d.id(), ProfileResolver.resolve(d, builtIns));
        }
        checkMatchPrefixesUnique(documents.values());
        return new BoardProfiles(documents, profiles);
    }

    /** The built-in profiles, in the order of the index. */
    public List<BoardProfile> all() {
        return List.copyOf(profiles.values());
    }

    /** The built-in profile with this id, or empty. */
    public Optional<BoardProfile> find(String id) {
        return Optional.ofNullable(profiles.get(id));
    }

    /**
     * The built-in profile with this id.
     *
     * @throws ProfileException listing the built-in ids, if there is none with this id
     */
    public BoardProfile get(String id) {
        return find(id).orElseThrow(() -> new ProfileException("unknown board '" + id + "'; built-in boards: "
                + String.join(", ", profiles.keySet()) + ". For another board, write a profile "
                + "(docs/board-profiles.md) and pass it with --board-file PATH"));
    }

    /**
     * Loads a user's profile file, for a custom board or carrier board. Its {@code extends}
     * may name a built-in profile or another profile file in the same directory.
     *
     * @param file a {@code .yaml} file whose name (without {@code .yaml}) is the profile's id
     * @throws ProfileException if the file cannot be read, or the profile or one it extends
     *                          is invalid; the message names the file and field
     */
    public BoardProfile loadFile(Path file) {
        ProfileDocument leaf = readUserFile(file);
        if (documents.containsKey(leaf.id())) {
            throw new ProfileException(leaf.file() + ": id: '" + leaf.id() + "' is the id of a built-in profile; "
                    + "give this profile its own id and file name (it may extend " + leaf.id() + ")");
        }
        Map<Path, ProfileDocument> siblingsRead = new HashMap<>();
        ProfileResolver.Lookup lookup = new ProfileResolver.Lookup() {
            @Override
            public Optional<ProfileDocument> find(String id, ProfileDocument from) {
                ProfileDocument builtIn = documents.get(id);
                if (builtIn != null || from.path() == null) {
                    return Optional.ofNullable(builtIn);
                }
                Path sibling = sibling(from.path(), id);
                if (!Files.isRegularFile(sibling)) {
                    return Optional.empty();
                }
                return Optional.of(siblingsRead.computeIfAbsent(sibling.normalize(), p -> readUserFile(sibling)));
            }

            @Override
            public String searched(String id, ProfileDocument from) {
                String builtIns = "built-in profiles: " + String.join(", ", documents.keySet());
                return from.path() == null ? builtIns : builtIns + "; no file " + sibling(from.path(), id);
            }
        };
        return ProfileResolver.resolve(leaf, lookup);
    }

    private static ProfileDocument readUserFile(Path file) {
        String label = file.toString();
        String fileName = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!fileName.endsWith(".yaml")) {
            throw new ProfileException(label + ": a board profile file is named <id>.yaml");
        }
        if (!Files.isRegularFile(file)) {
            throw new ProfileException(label + ": no such file");
        }
        String expectedId = fileName.substring(0, fileName.length() - ".yaml".length());
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new ProfileException(label + ": cannot read: " + e.getMessage(), e);
        }
        return ProfileReader.read(label, file, expectedId, ProfileReader.parse(label, in));
    }

    private static Path sibling(Path file, String id) {
        return file.resolveSibling(id + ".yaml");
    }

    private static InputStream open(ClassLoader loader, String resource) {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new ProfileException(resource + ": not found on the class path; the board profiles are missing "
                    + "from this build");
        }
        return in;
    }

    /** Detection needs one answer per model: two built-ins may not share a prefix. */
    private static void checkMatchPrefixesUnique(Iterable<ProfileDocument> documents) {
        Map<String, ProfileDocument> byPrefix = new HashMap<>();
        for (ProfileDocument d : documents) {
            for (int i = 0; i < d.match().size(); i++) {
                String prefix = d.match().get(i);
                ProfileDocument other = byPrefix.putIfAbsent(prefix, d);
                if (other != null) {
                    String owner = other == d ? "an earlier entry of this list" : other.file();
                    throw new ProfileException(d.file() + ": match[" + i + "]: \"" + prefix
                            + "\" is already matched by " + owner + "; a model must lead to one profile");
                }
            }
        }
    }
}
