package io.pirt.hal.linux;

import com.sun.jna.LastErrorException;

/**
 * The errno values the kernel's I2C, SPI and PWM interfaces answer with, and how messages
 * show one: its name and the C library's text, {@code EREMOTEIO: Remote I/O error}.
 */
final class Errno {
    // Linux generic values (arm, arm64, x86-64)
    static final int EPERM = 1, ENOENT = 2, EIO = 5, ENXIO = 6, EAGAIN = 11, EACCES = 13, EBUSY = 16, ENODEV = 19,
            EINVAL = 22, EROFS = 30, EMSGSIZE = 90, EOPNOTSUPP = 95, ESHUTDOWN = 108, ETIMEDOUT = 110, EREMOTEIO = 121;

    private Errno() {
    }

    /**
     * {@code NAME: text} for {@code e}: the text as JNA took it from strerror ({@code [121] Remote
     * I/O error}), else the C library's usual text for the errnos named here.
     */
    static String describe(LastErrorException e) {
        int errno = e.getErrorCode();
        String message = e.getMessage();
        String text = message != null && message.startsWith("[" + errno + "] ") ? message.substring(message.indexOf(']') + 2) : text(errno);
        return name(errno) + ": " + text;
    }

    /** {@code EREMOTEIO}, or {@code errno 71} for one not named here. */
    static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EAGAIN -> "EAGAIN";
            case EACCES -> "EACCES";
            case EBUSY -> "EBUSY";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case EROFS -> "EROFS";
            case EMSGSIZE -> "EMSGSIZE";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ESHUTDOWN -> "ESHUTDOWN";
            case ETIMEDOUT -> "ETIMEDOUT";
            case EREMOTEIO -> "EREMOTEIO";
            default -> "errno " + errno;
        };
    }

    private static String text(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case EIO -> "Input/output error";
            case ENXIO -> "No such device or address";
            case EAGAIN -> "Resource temporarily unavailable";
            case EACCES -> "Permission denied";
            case EBUSY -> "Device or resource busy";
            case ENODEV -> "No such device";
            case EINVAL -> "Invalid argument";
            case EROFS -> "Read-only file system";
            case EMSGSIZE -> "Message too long";
            case EOPNOTSUPP -> "Operation not supported";
            case ESHUTDOWN -> "Cannot send after transport endpoint shutdown";
            case ETIMEDOUT -> "Connection timed out";
            case EREMOTEIO -> "Remote I/O error";
            default -> "unknown error";
        };
    }
}
