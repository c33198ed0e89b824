package io.pirt.hal.architecturefixture;

import io.pirt.threading.Lock;

/**
 * A fixture for ArchitectureRulesBiteTest: a class in hal's package that uses only threading,
 * which hal may: the rules must let it pass.
 */
public final class HalClassUsingThreading {
    private HalClassUsingThreading() {
    }

    public static String describe(Lock lock) {
        return lock.toString();
    }
}
