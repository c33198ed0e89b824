package io.pirt.runtime.store;

/**
 * The power going off in the middle of a store change: an Error, so that no
 * {@code catch (IOException)} in the code under test can mistake it for a disk fault.
 */
final class PowerCut extends Error {
    PowerCut(String message) {
        super(message, null, false, false);
    }
}
