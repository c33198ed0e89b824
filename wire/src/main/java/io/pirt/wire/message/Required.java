package io.pirt.wire.message;

/**
 * Checks a record's required components, so that a message missing one is refused when it is
 * decoded ({@link Messages#decode} then throws {@link UnreadableAnswerException}) instead of
 * failing later where the field is used.
 */
final class Required {
    private Required() {
    }

    /**
     * @param namesAndValues pairs: a component's name, then its value
     * @throws IllegalArgumentException naming the first component that is null
     */
    static void of(String record, Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) throw new IllegalArgumentException(record + " needs '" + namesAndValues[i] + "'");
        }
    }
}
