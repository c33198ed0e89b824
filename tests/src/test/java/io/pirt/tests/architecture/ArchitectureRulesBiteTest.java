package io.pirt.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.pirt.hal.architecturefixture.HalClassReachingTheRuntime;
import io.pirt.hal.architecturefixture.HalClassUsingThreading;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves ArchitectureTest's rules fail on a break and pass on allowed use, with two fixture
 * classes in hal's package (test sources, so the real import never sees them).
 */
class ArchitectureRulesBiteTest {
    private static final JavaClasses HAL_REACHING_RUNTIME = new ClassFileImporter().importClasses(HalClassReachingTheRuntime.class);
    private static final JavaClasses HAL_USING_THREADING = new ClassFileImporter().importClasses(HalClassUsingThreading.class);

    @Test
    void halReachingTheRuntimeBreaksTheNeverReachesRule() {
        assertViolates(ArchitectureTest.halNeverReachesRuntimeToolsOrJUnit, HAL_REACHING_RUNTIME);
    }

    @Test
    void halReachingTheRuntimeBreaksHalsAllowedParts() {
        assertViolates(ArchitectureTest.halUsesOnlyItsParts, HAL_REACHING_RUNTIME);
    }

    @Test
    void halUsingThreadingKeepsBothRules() {
        for (ArchRule rule : List.of(ArchitectureTest.halNeverReachesRuntimeToolsOrJUnit, ArchitectureTest.halUsesOnlyItsParts)) {
            EvaluationResult result = rule.evaluate(HAL_USING_THREADING);
            assertFalse(result.hasViolation(), "threading is allowed to hal: " + result.getFailureReport());
        }
    }

    @Test
    void checkingABrokenRuleThrowsWithTheReason() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> ArchitectureTest.halUsesOnlyItsParts.check(HAL_REACHING_RUNTIME),
                "check() throws on a violation, so a break fails the build");
        assertTrue(failure.getMessage().contains("because io.pirt.hal.. may use only"), failure.getMessage());
    }

    private static void assertViolates(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), "the rule must catch " + HalClassReachingTheRuntime.class.getName());
        String details = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(details.contains(HalClassReachingTheRuntime.class.getName()), details);
        assertTrue(details.contains("io.pirt.runtime.BoardRuntime"), "names the class it must not use:\n" + details);
    }
}
