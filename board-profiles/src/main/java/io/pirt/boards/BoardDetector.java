package io.pirt.boards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds which board profile fits the machine, from the device-tree model string
 * (docs/board-profiles.md, "Detection"). Immutable and safe to share between threads.
 *
 * <p>The model is read from {@code ROOT/proc/device-tree/model}, or when that file does
 * not exist from {@code ROOT/sys/firmware/devicetree/base/model}; its trailing NUL is
 * dropped. A profile matches when the model equals one of its {@code match} prefixes or
 * continues it after a space; the longest matching prefix wins. With no model file at all
 * the result is the {@code virtual} profile.
 */
public final class BoardDetector {
    /** The id of the profile chosen when the machine has no device-tree model. */
    public static final String VIRTUAL_ID = "virtual";

    static final String PROC_MODEL = "proc/device-tree/model";
    static final String SYSFS_MODEL = "sys/firmware/devicetree/base/model";

    private final BoardProfiles profiles;

    /** A detector that chooses among {@code profiles}. */
    public BoardDetector(BoardProfiles profiles) {
        this.profiles = profiles;
    }

    /**
     * Detects the board whose file system is rooted at {@code root} ({@code /} on the board
     * itself; another directory in tests).
     *
     * @throws ProfileException if the model file cannot be read or is empty, or if no
     *                          profile matches the model; the message quotes the model and
     *                          says how to pass a profile with {@code --board-file PATH}
     */
    public Detection detect(Path root) {
        Path proc = root.resolve(PROC_MODEL);
        Path sysfs = root.resolve(SYSFS_MODEL);
        Path modelFile = Files.exists(proc) ? proc : Files.exists(sysfs) ? sysfs : null;
        if (modelFile == null) {
            BoardProfile virtual = profiles.find(VIRTUAL_ID).orElseThrow(() -> new ProfileException(
                    "no device-tree model found and no '" + VIRTUAL_ID + "' profile to fall back on"));
            return new Detection(virtual, Optional.empty(), Optional.empty(), "no device-tree model at " + proc
                    + " or " + sysfs + ": not a Raspberry Pi (or not a device-tree board), so the virtual board");
        }
        String model = readModel(modelFile);
        BoardProfile best = null;
        String bestPrefix = "";
        for (BoardProfile p : profiles.all()) {
            for (String prefix : p.matchPrefixes()) {
                boolean matches = model.equals(prefix) || model.startsWith(prefix + " ");
                if (matches && prefix.length() > bestPrefix.length()) {
                    best = p;
                    bestPrefix = prefix;
                }
            }
        }
        if (best == null) {
            throw new ProfileException("no board profile matches the model \"" + model + "\" (read from " + modelFile
                    + "). Write a profile for this board (docs/board-profiles.md; it may extend a built-in one) "
                    + "and pass it with --board-file PATH");
        }
        return new Detection(best, Optional.of(model), Optional.of(modelFile),
                "model \"" + model + "\" (from " + modelFile + ") matches \"" + bestPrefix + "\"");
    }

    /** The model string: the file's content up to its first NUL, without surrounding blanks. */
    private static String readModel(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ProfileException("cannot read the board model from " + file + ": " + e.getMessage(), e);
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        String model = new String(bytes, 0, end, StandardCharsets.UTF_8).strip();
        if (model.isEmpty()) {
            throw new ProfileException("the board model file " + file + " is empty; pass a profile with "
                    + "--board-file PATH");
        }
        return model;
    }
}
