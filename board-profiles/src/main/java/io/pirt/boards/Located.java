package io.pirt.boards;

/**
 * A value read from a profile file, with the file and field path it was written at, so
 * that a check made after {@code extends} is resolved can still point at the right line
 * of the right file.
 *
 * @param file the file label: a class-path resource or a file path
 * @param path the field path in that file, e.g. {@code pins[3].line}
 */
record Located<T>(T value, String file, String path) {

    /** {@code FILE: PATH}, the prefix of an error message about this value. */
    String at() {
        return file + ": " + path;
    }

    /** An exception about this value: {@code FILE: PATH: problem}. */
    ProfileException problem(String problem) {
        return new ProfileException(at() + ": " + problem);
    }
}
