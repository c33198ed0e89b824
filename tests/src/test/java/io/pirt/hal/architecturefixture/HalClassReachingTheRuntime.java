package io.pirt.hal.architecturefixture;

import io.pirt.runtime.BoardRuntime;

/**
 * A fixture for ArchitectureRulesBiteTest: a class in hal's package that uses the board daemon,
 * which hal must never do. It lives in test sources, so ArchitectureTest's import never sees it.
 */
public final class HalClassReachingTheRuntime {
    private HalClassReachingTheRuntime() {
    }

    public static String daemonOf(BoardRuntime runtime) {
        return runtime.toString();
    }
}
