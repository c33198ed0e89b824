package io.pirt.runtime.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of one machine, as the doctor reads them and as the runtime chooses from what the
 * machine has (its console device, {@link io.pirt.runtime.console.ConsoleDevice}):
 * every path is relative to a root ({@code /} on the board, a fixture tree in tests), and a
 * symbolic link whose target is absolute is followed inside the root, not out of it.
 *
 * <p>Device nodes: a file tree cannot carry a node's owner, group and type, so when
 * {@code ROOT/dev-listing.txt} exists it is the truth about {@code /dev}: the output of
 * {@code ls -l /dev} (a line per entry: type and mode, links, owner, group, size or
 * major/minor, date, name, and {@code -> TARGET} for a link). Without it the nodes are read
 * from {@code ROOT/dev} itself. Immutable after construction.
 */
public final class RootFiles {
    public static final String DEV_LISTING = "dev-listing.txt";

    /** A /dev entry: its name, type ({@code c}, {@code l}, {@code -}, ...), owner, group, mode ({@code rw-rw----}) and link target. */
    public record DevNode(String name, char type, String owner, String group, String mode, Optional<String> linkTarget) {
        public boolean groupCanReadWrite() {
            return mode.charAt(3) == 'r' && mode.charAt(4) == 'w';
        }

        public boolean othersCanReadWrite() {
            return mode.charAt(6) == 'r' && mode.charAt(7) == 'w';
        }

        @Override
        public String toString() {
            return "/dev/" + name + " (" + owner + ":" + group + " " + type + mode + ")";
        }
    }

    private final Path root;
    /** The /dev entries by name from the listing; null when there is no listing and /dev itself is read. */
    private final Map<String, DevNode> listing;

    /** The files under {@code root}; reads {@code ROOT/dev-listing.txt} now if there is one. @throws UncheckedIOException if that listing cannot be read */
    public RootFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.listing = readListing(this.root.resolve(DEV_LISTING));
    }

    public Path root() {
        return root;
    }

    /** The path of {@code relative} (no leading slash) under the root, for reading and for messages. */
    public Path path(String relative) {
        return root.resolve(strip(relative));
    }

    public boolean exists(String relative) {
        return Files.exists(path(relative));
    }

    /**
     * The text of a file, empty when it does not exist.
     *
     * @throws UncheckedIOException when it exists but cannot be read (the check then says so)
     */
    public Optional<String> read(String relative) {
        Path p = path(relative);
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e, e);
        }
    }

    /** The first bytes of a file (at most {@code count}), empty when it does not exist. */
    public Optional<byte[]> head(String relative, int count) {
        Path p = path(relative);
        if (!Files.isRegularFile(p)) return Optional.empty();
        try (var in = Files.newInputStream(p)) {
            return Optional.of(in.readNBytes(count));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e, e);
        }
    }

    /** The names in a directory, sorted; empty when it does not exist. */
    public List<String> list(String relative) {
        Path p = path(relative);
        if (!Files.isDirectory(p)) return List.of();
        try (Stream<Path> s = Files.list(p)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + p + ": " + e, e);
        }
    }

    /**
     * {@code relative} with every symbolic link on its way followed inside the root (as the
     * kernel would with the root as {@code /}): the path relative to the root of what it
     * finally names, which need not exist. At most 40 links, as Linux allows.
     */
    public String resolve(String relative) {
        List<String> done = new ArrayList<>();
        List<String> todo = new ArrayList<>(List.of(strip(relative).split("/")));
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.remove(0);
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!done.isEmpty()) done.remove(done.size() - 1);
                continue;
            }
            done.add(part);
            Path here = root.resolve(String.join("/", done));
            if (!Files.isSymbolicLink(here)) continue;
            if (++links > 40) throw new UncheckedIOException(new IOException("too many symbolic links resolving /" + strip(relative)));
            String target;
            try {
                target = Files.readSymbolicLink(here).toString();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the link " + here + ": " + e, e);
            }
            done.remove(done.size() - 1);
            if (target.startsWith("/")) done.clear();
            todo.addAll(0, List.of(target.split("/")));
        }
        return String.join("/", done);
    }

    /** The /dev entry {@code name} ({@code ttyGS0}, {@code serial0}), from the listing or from ROOT/dev; empty when absent. */
    public Optional<DevNode> devNode(String name) {
        if (listing != null) return Optional.ofNullable(listing.get(name));
        Path p = root.resolve("dev").resolve(name);
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            char type = a.isSymbolicLink() ? 'l' : a.isDirectory() ? 'd' : a.isRegularFile() ? '-' : a.isOther() ? 'c' : '?';
            Optional<String> target = a.isSymbolicLink() ? Optional.of(Files.readSymbolicLink(p).toString()) : Optional.empty();
            return Optional.of(new DevNode(name, type, a.owner().getName(), a.group().getName(),
                    PosixFilePermissions.toString(a.permissions()), target));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            throw new UncheckedIOException("cannot read the attributes of " + p + ": " + e, new IOException(e));
        }
    }

    /**
     * The /dev entry {@code name} with links among /dev followed ({@code serial0} to
     * {@code ttyS0}); empty when it or its target is absent.
     */
    public Optional<DevNode> devNodeFollowed(String name) {
        Optional<DevNode> node = devNode(name);
        for (int i = 0; i < 8 && node.isPresent() && node.get().linkTarget().isPresent(); i++) {
            String target = node.get().linkTarget().get();
            node = devNode(target.substring(target.lastIndexOf('/') + 1));
        }
        return node;
    }

    private static String strip(String relative) {
        return relative.startsWith("/") ? relative.substring(1) : relative;
    }

    /** The listing's entries by name, or null without a listing. Lines that are not entries ("total 0", blanks) are skipped. */
    private static Map<String, DevNode> readListing(Path file) {
        if (!Files.isRegularFile(file)) return null;
        Map<String, DevNode> nodes = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the device listing " + file + ": " + e, e);
        }
        for (String line : lines) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 7 || !w[0].matches("[-bcdlps][-rwxsStT]{9}[.+@]?")) continue;
            Optional<String> target = Optional.empty();
            String name = w[w.length - 1];
            if (w.length >= 3 && w[w.length - 2].equals("->")) {
                target = Optional.of(w[w.length - 1]);
                name = w[w.length - 3];
            }
            nodes.put(name, new DevNode(name, w[0].charAt(0), w[2], w[3], w[0].substring(1, 10), target));
        }
        return nodes;
    }
}
