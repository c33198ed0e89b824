package io.pirt.hal.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test support: the kernel behind {@link Syscalls}, over a directory that stands for the root.
 * A node or attribute opens if its file exists there (else ENOENT, as the kernel says); every
 * call is recorded in order, with paths relative to the root; an ioctl is answered by the
 * test's {@link #ioctl} handler, which checks the request and the structs and fills what the
 * kernel would. Writes play sysfs PWM: {@code export} makes the channel's directory with
 * period, duty_cycle and enable at 0 and a polarity; {@code unexport} removes it; {@code period} and
 * {@code duty_cycle} refuse, with EINVAL, a state the kernel refuses (a period of 0, a duty
 * above the period). Errors are injected per path, in JNA's form ({@code [errno] text}).
 */
final class FakeKernel implements Syscalls {
    /** Answers an ioctl on the node at {@code path} (relative to the root). */
    interface IoctlHandler {
        int ioctl(String path, long request, Pointer arg);
    }

    private final Path root;
    /** Every call, in order: {@code open dev/i2c-1}, {@code ioctl dev/i2c-1 0x707}, {@code write sys/.../export 0}, {@code close ...}. */
    final List<String> calls = new ArrayList<>();
    /** The errno an open of a path (relative to the root) fails with. */
    final Map<String, Integer> openErrors = new HashMap<>();
    /** The errno a write to a path fails with. */
    final Map<String, Integer> writeErrors = new HashMap<>();
    /** Whether writing export makes the channel's directory; a test that makes it itself clears this. */
    boolean exportMakesChannel = true;
    /** The polarity an exported channel has (the kernel keeps the last user's). */
    String exportPolarity = "normal";
    /** Runs after each write to an export file (on the writing thread). */
    Runnable afterExport = () -> {
    };
    IoctlHandler ioctl = (path, request, arg) -> {
        throw new AssertionError("unexpected ioctl 0x" + Long.toHexString(request) + " on " + path);
    };
    private final Map<Integer, String> open = new HashMap<>();
    private int nextFd = 100;

    FakeKernel(Path root) {
        this.root = root;
    }

    /** A LastErrorException as JNA makes one from errno. */
    static LastErrorException error(int errno, String text) {
        return new LastErrorException("[" + errno + "] " + text);
    }

    /** The calls recorded since the last time this was called. */
    List<String> takeCalls() {
        List<String> taken = List.copyOf(calls);
        calls.clear();
        return taken;
    }

    @Override
    public int open(String path, int flags) {
        String relative = root.relativize(Path.of(path)).toString();
        calls.add("open " + relative);
        Integer errno = openErrors.get(relative);
        if (errno != null) throw error(errno, "injected");
        if (!Files.exists(Path.of(path))) throw error(Errno.ENOENT, "No such file or directory");
        int fd = nextFd++;
        open.put(fd, relative);
        return fd;
    }

    @Override
    public int ioctl(int fd, NativeLong request, Pointer arg) {
        String path = pathOf(fd);
        calls.add("ioctl " + path + " 0x" + Long.toHexString(request.longValue()));
        return ioctl.ioctl(path, request.longValue(), arg);
    }

    @Override
    public int ioctl(int fd, NativeLong request, NativeLong value) {
        String path = pathOf(fd);
        calls.add("ioctl " + path + " 0x" + Long.toHexString(request.longValue()) + " " + value.longValue());
        return 0;
    }

    @Override
    public int write(int fd, byte[] bytes) {
        String path = pathOf(fd);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        calls.add("write " + path + " " + text);
        Integer errno = writeErrors.get(path);
        if (errno != null) throw error(errno, "injected");
        Path file = root.resolve(path);
        try {
            switch (file.getFileName().toString()) {
                case "export" -> {
                    if (exportMakesChannel) {
                        Path channel = Files.createDirectory(file.resolveSibling("pwm" + text));
                        for (String attribute : List.of("period", "duty_cycle", "enable")) Files.writeString(channel.resolve(attribute), "0\n");
                        Files.writeString(channel.resolve("polarity"), exportPolarity + "\n");
                    }
                    afterExport.run();
                }
                case "unexport" -> deleteTree(file.resolveSibling("pwm" + text));
                case "period" -> {
                    long period = Long.parseLong(text);
                    if (period <= 0 || period < number(file.resolveSibling("duty_cycle"))) throw error(Errno.EINVAL, "Invalid argument");
                    Files.writeString(file, text + "\n");
                }
                case "duty_cycle" -> {
                    long period = number(file.resolveSibling("period"));
                    if (period <= 0 || Long.parseLong(text) > period) throw error(Errno.EINVAL, "Invalid argument");
                    Files.writeString(file, text + "\n");
                }
                default -> Files.writeString(file, text + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.length;
    }

    @Override
    public void close(int fd) {
        String path = open.remove(fd);
        if (path == null) throw error(9, "Bad file descriptor");
        calls.add("close " + path);
    }

    /** How many files the backend holds open now. */
    int openFiles() {
        return open.size();
    }

    private String pathOf(int fd) {
        String path = open.get(fd);
        if (path == null) throw error(9, "Bad file descriptor");
        return path;
    }

    private static long number(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
