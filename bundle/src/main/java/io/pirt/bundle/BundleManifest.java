package io.pirt.bundle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a bundle says about its application: the fields of {@code pirt-bundle.properties}
 * (docs/bundle.md, section 2). Immutable; the constructor checks every field.
 *
 * @param name                the application's name, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}
 * @param version             the application's version
 * @param mainClass           the Java binary name of the class whose {@code main} starts the app
 * @param boards              board profile ids the app runs on, or exactly {@code ["*"]} for any board
 * @param minRuntimeVersion   the oldest runtime that can run the app
 * @param mainThreadPriority  1 ({@code PRIO_LOWEST}) .. 7 ({@code PRIO_HIGHEST})
 * @param kind                an application for the store, or tests for one run ({@code pirt test})
 */
public record BundleManifest(String name, Version version, String mainClass, List<String> boards,
                             Version minRuntimeVersion, int mainThreadPriority, Kind kind) {
    /** What a bundle is for (docs/bundle.md §2, key {@code kind}). */
    public enum Kind {
        /** Installed into the store, started, committed or rolled back: the default. */
        APPLICATION("application"),
        /** Run once by {@code pirt test}, never installed: the board's application comes back after it. */
        TEST("test");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** The value of the manifest's {@code kind} key. */
        public String text() {
            return text;
        }

        static Kind parse(String text) {
            for (Kind k : values()) if (k.text.equals(text)) return k;
            throw new IllegalArgumentException("'" + ShortText.of(text) + "' is not application or test");
        }
    }

    /** Format version of a bundle that carries every jar it needs. */
    static final int FORMAT = 1;
    /** Format version of a bundle whose content list also references libraries by SHA-256 ({@code lib/} lines). */
    static final int FORMAT_REFERENCES = 2;
    static final List<String> KEYS =
            List.of("format", "name", "version", "mainClass", "boards", "minRuntime", "mainPriority");
    /** Keys a manifest may leave out; written only when they differ from their default. */
    static final List<String> OPTIONAL_KEYS = List.of("kind");
    private static final String IDENTIFIER = "[A-Za-z_$][A-Za-z0-9_$]*";

    /** An application bundle's manifest. */
    public BundleManifest(String name, Version version, String mainClass, List<String> boards, Version minRuntimeVersion,
                          int mainThreadPriority) {
        this(name, version, mainClass, boards, minRuntimeVersion, mainThreadPriority, Kind.APPLICATION);
    }

    /** @throws IllegalArgumentException naming the field that is wrong */
    public BundleManifest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(mainClass, "mainClass");
        Objects.requireNonNull(minRuntimeVersion, "minRuntimeVersion");
        boards = List.copyOf(Objects.requireNonNull(boards, "boards"));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("name '" + ShortText.of(name)
                    + "' must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
        }
        if (mainClass.length() > 1024 || !mainClass.matches(IDENTIFIER + "(\\." + IDENTIFIER + ")*")) {
            throw new IllegalArgumentException("mainClass '" + ShortText.of(mainClass)
                    + "' is not a Java class name such as com.example.Blink");
        }
        if (boards.isEmpty()) {
            throw new IllegalArgumentException("boards is empty: list board profile ids, or * for any board");
        }
        if (!boards.equals(List.of("*"))) {
            for (String b : boards) {
                if (!b.matches("[a-z0-9][a-z0-9-]{0,63}")) {
                    throw new IllegalArgumentException("boards: '" + ShortText.of(b)
                            + "' is not a board profile id ([a-z0-9][a-z0-9-]*), and * must stand alone");
                }
            }
            if (boards.stream().distinct().count() != boards.size()) {
                throw new IllegalArgumentException("boards lists a board twice: " + boards);
            }
        }
        if (mainThreadPriority < 1 || mainThreadPriority > 7) {
            throw new IllegalArgumentException("mainThreadPriority " + mainThreadPriority
                    + " is outside 1 (PRIO_LOWEST) .. 7 (PRIO_HIGHEST)");
        }
    }

    /** Whether the app may run on the board with this profile id. */
    public boolean runsOn(String boardId) {
        return boards.equals(List.of("*")) || boards.contains(boardId);
    }

    /** @param references whether the content list references libraries: format 2, else 1 (which every runtime reads) */
    byte[] toBytes(boolean references) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("format", Integer.toString(references ? FORMAT_REFERENCES : FORMAT));
        v.put("name", name);
        v.put("version", version.toString());
        v.put("mainClass", mainClass);
        v.put("boards", String.join(",", boards));
        v.put("minRuntime", minRuntimeVersion.toString());
        v.put("mainPriority", Integer.toString(mainThreadPriority));
        if (kind != Kind.APPLICATION) v.put("kind", kind.text());
        return KeyValueText.format(v);
    }

    /**
     * @param references whether the content list has {@code lib/} lines, which only format 2 allows
     * @throws BundleRejectedException {@code MALFORMED_MANIFEST} naming the field
     */
    static BundleManifest parse(byte[] bytes, boolean references) throws BundleRejectedException {
        String entry = BundleLayout.MANIFEST;
        Map<String, String> v = KeyValueText.parse(entry, bytes, KEYS, OPTIONAL_KEYS);
        String format = v.get("format");
        if (!format.equals(Integer.toString(FORMAT)) && !format.equals(Integer.toString(FORMAT_REFERENCES))) {
            throw KeyValueText.malformed(entry + ": format '" + ShortText.of(format) + "' is not supported; this runtime reads"
                    + " bundle formats " + FORMAT + " and " + FORMAT_REFERENCES + " (update the runtime)");
        }
        if (references && !format.equals(Integer.toString(FORMAT_REFERENCES))) {
            throw KeyValueText.malformed(entry + ": format " + format + " but the content list references libraries (lib/ lines),"
                    + " which needs format " + FORMAT_REFERENCES + "; build the bundle again with pirt");
        }
        String field = "";
        try {
            field = "version";
            Version version = Version.parse(v.get("version"));
            field = "minRuntime";
            Version minRuntime = Version.parse(v.get("minRuntime"));
            field = "mainPriority";
            int priority = parsePriority(v.get("mainPriority"));
            field = "kind";
            Kind kind = v.containsKey("kind") ? Kind.parse(v.get("kind")) : Kind.APPLICATION;
            field = "manifest";
            return new BundleManifest(v.get("name"), version, v.get("mainClass"),
                    List.of(v.get("boards").split("\\s*,\\s*", -1)), minRuntime, priority, kind);
        } catch (IllegalArgumentException e) {
            throw new BundleRejectedException(BundleRejectedException.Reason.MALFORMED_MANIFEST,
                    entry + ": " + (field.equals("manifest") ? "" : field + ": ") + e.getMessage(), e);
        }
    }

    private static int parsePriority(String text) {
        if (!text.matches("[1-7]")) {
            throw new IllegalArgumentException("'" + ShortText.of(text) + "' must be 1 (PRIO_LOWEST) .. 7 (PRIO_HIGHEST)");
        }
        return Integer.parseInt(text);
    }
}
