package io.pirt.tests.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules of /work/shared/ARCHITECTURE.md (docs/architecture.md), checked on the main classes
 * of every part: one rule per sentence of "What must never be", and for each part the list of
 * pirt parts it may use at all (the drawing's arrows). Strict: no rule is frozen, so a break
 * fails the build. {@link ArchitectureRulesBiteTest} proves the rules fail on a break.
 */
@AnalyzeClasses(packages = "io.pirt",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {
    static final String THREADING = "io.pirt.threading..";
    static final String BOARDS = "io.pirt.boards..";
    static final String SERIAL = "io.pirt.serial..";
    static final String WIRE = "io.pirt.wire..";
    static final String BUNDLE = "io.pirt.bundle..";
    static final String HAL = "io.pirt.hal..";
    static final String BOARD_TEST = "io.pirt.boardtest..";
    static final String RUNTIME = "io.pirt.runtime..";
    static final String VIRTUAL_BOARD = "io.pirt.virtualboard..";
    static final String TOOLS = "io.pirt.tools..";
    static final String JUNIT_SUPPORT = "io.pirt.junit..";
    static final String MAVEN_PLUGIN = "io.pirt.maven..";
    static final String EXAMPLES = "io.pirt.examples..";
    static final String JUNIT = "org.junit..";
    static final String PIRT = "io.pirt..";

    /** Every part the rules know; a class of pirt outside them is a part no rule checks. */
    static final String[] PARTS = {THREADING, BOARDS, SERIAL, WIRE, BUNDLE, HAL, BOARD_TEST, RUNTIME, VIRTUAL_BOARD,
            TOOLS, JUNIT_SUPPORT, MAVEN_PLUGIN, EXAMPLES};

    /** Test jars (type test-jar, {@code *-tests.jar}) hold test classes too: DoNotIncludeTests knows only directories. */
    static final class DoNotIncludeTestJars implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        @Override
        public boolean includes(Location location) {
            return !location.matches(TEST_JAR);
        }
    }

    // ---- What must never be, one rule per sentence ----

    @ArchTest
    static final ArchRule threadingDependsOnNoOtherPart = dependsOnNoOtherPart(THREADING,
            "threading depends on no other pirt part: its configuration (priority table, CPU set) is handed to it");

    @ArchTest
    static final ArchRule boardProfilesDependOnNoOtherPart = dependsOnNoOtherPart(BOARDS,
            "board-profiles, wire and bundle depend on no other pirt part: they are formats and their readers and writers");

    @ArchTest
    static final ArchRule wireDependsOnNoOtherPart = dependsOnNoOtherPart(WIRE,
            "board-profiles, wire and bundle depend on no other pirt part: they are formats and their readers and writers");

    @ArchTest
    static final ArchRule bundleDependsOnNoOtherPart = dependsOnNoOtherPart(BUNDLE,
            "board-profiles, wire and bundle depend on no other pirt part: they are formats and their readers and writers");

    @ArchTest
    static final ArchRule serialDependsOnNoOtherPart = dependsOnNoOtherPart(SERIAL,
            "serial, shared by both ends like board-profiles, depends on no other pirt part: it is one way to open a serial port");

    @ArchTest
    static final ArchRule halNeverReachesRuntimeToolsOrJUnit = noClasses().that().resideInAPackage(HAL)
            .should().transitivelyDependOnClassesThat(resideInAnyPackage(
                    RUNTIME, TOOLS, VIRTUAL_BOARD, JUNIT_SUPPORT, BOARD_TEST, MAVEN_PLUGIN, JUNIT))
            .because("hal never reaches runtime, the tool or JUnit: an application on a board links against threading + hal only");

    @ArchTest
    static final ArchRule runtimeNeverReachesTheHostSide = noClasses().that().resideInAPackage(RUNTIME)
            .should().transitivelyDependOnClassesThat(resideInAnyPackage(TOOLS, VIRTUAL_BOARD, JUNIT_SUPPORT, MAVEN_PLUGIN, JUNIT))
            .because("runtime never reaches the host side: the board's jar and the .deb carry no host client, no virtual"
                    + " cable, no pseudo-terminal code, no JUnit launcher");

    @ArchTest
    static final ArchRule hostSideNeverReachesBoardInternals = noClasses()
            .that().resideInAnyPackage(TOOLS, JUNIT_SUPPORT, MAVEN_PLUGIN, VIRTUAL_BOARD)
            .should().transitivelyDependOnClassesThat(resideInAPackage(RUNTIME))
            .because("the host side never reaches board internals (store, supervisor, shell, endpoint): it speaks to a"
                    + " board only through wire and bundle, and starts the runtime only as a process");

    @ArchTest
    static final ArchRule testInfrastructureIsUsedByNoProductPart = noClasses()
            .that().resideInAnyPackage(THREADING, BOARDS, SERIAL, WIRE, BUNDLE, HAL, RUNTIME, TOOLS, VIRTUAL_BOARD)
            .should().dependOnClassesThat(resideInAnyPackage(JUNIT, JUNIT_SUPPORT, BOARD_TEST))
            .because("test infrastructure (JUnit runners, extensions, rigs) lives in parts of its own, never at"
                    + " compile scope in a product part");

    // ---- The drawing's arrows: each part uses only the pirt parts listed for it ----

    @ArchTest
    static final ArchRule halUsesOnlyItsParts = usesOnly(HAL, THREADING, BOARDS, SERIAL);

    @ArchTest
    static final ArchRule boardTestUsesOnlyItsParts = usesOnly(BOARD_TEST, HAL, THREADING, BOARDS);

    @ArchTest
    static final ArchRule runtimeUsesOnlyItsParts = usesOnly(RUNTIME, HAL, THREADING, BOARDS, WIRE, BUNDLE, SERIAL);

    @ArchTest
    static final ArchRule virtualBoardUsesOnlyItsParts = usesOnly(VIRTUAL_BOARD, THREADING, BUNDLE);

    @ArchTest
    static final ArchRule toolsUseOnlyTheirParts = usesOnly(TOOLS, WIRE, BUNDLE, BOARDS, SERIAL, VIRTUAL_BOARD);

    @ArchTest
    /** Host side: the tool, and the shared formats and the virtual board the tool itself stands on (never board internals). */
    static final ArchRule junitSupportUsesOnlyHostParts = usesOnly(JUNIT_SUPPORT, TOOLS, WIRE, BUNDLE, VIRTUAL_BOARD);

    @ArchTest
    static final ArchRule mavenPluginUsesOnlyItsParts = usesOnly(MAVEN_PLUGIN, TOOLS, VIRTUAL_BOARD, BUNDLE);

    /** The application API is threading + hal; hal's API hands an application its board profile (Board.profile()). */
    @ArchTest
    static final ArchRule examplesUseOnlyTheApplicationApi = usesOnly(EXAMPLES, THREADING, HAL, BOARDS);

    // ---- One mechanism in one place ----

    @ArchTest
    static final ArchRule serialPortsAreOpenedOnlyBySerial = noClasses().that().resideOutsideOfPackage(SERIAL)
            .should().callMethodWhere(DescribedPredicate.describe("the target is jSerialComm's SerialPort.openPort",
                    (JavaMethodCall call) -> call.getTargetOwner().getName().equals("com.fazecast.jSerialComm.SerialPort")
                            && call.getName().equals("openPort")))
            .because("where two parts need the same mechanism (opening a serial device) it lives in one place that"
                    + " both use, io.pirt.serial.SerialDevice; it is never copied");

    @ArchTest
    static final ArchRule everyClassBelongsToAPart = classes().that().resideInAPackage(PIRT)
            .should().resideInAnyPackage(PARTS)
            .because("one folder per part, package io.pirt.<part>: a package outside the known parts is checked by no rule");

    /** Guards the rules above against passing on nothing: each part's main classes were found and imported. */
    @ArchTest
    static void everyPartsMainClassesAreImported(JavaClasses imported) {
        for (String part : PARTS) {
            assertTrue(imported.stream().anyMatch(c -> c.getPackageName().startsWith(part.substring(0, part.length() - 2))),
                    "no main class of " + part + " on the tests module's class path: add its module to tests/pom.xml");
        }
        assertTrue(imported.stream().noneMatch(c -> c.getPackageName().startsWith("io.pirt.tests")),
                "test classes are not imported");
        assertTrue(imported.stream().noneMatch(c -> c.getSimpleName().equals("TestBundles")),
                "classes of test jars (pirt-bundle's TestBundles) are not imported");
    }

    /** No class of {@code part} depends on a class of pirt outside {@code part}. */
    static ArchRule dependsOnNoOtherPart(String part, String reason) {
        return noClasses().that().resideInAPackage(part)
                .should().dependOnClassesThat(resideInAPackage(PIRT).and(not(resideInAPackage(part))))
                .because(reason);
    }

    /** No class of {@code part} depends on a class of pirt outside {@code part} and {@code allowed}. */
    static ArchRule usesOnly(String part, String... allowed) {
        String[] own = Stream.concat(Stream.of(part), Arrays.stream(allowed)).toArray(String[]::new);
        return noClasses().that().resideInAPackage(part)
                .should().dependOnClassesThat(resideInAPackage(PIRT).and(not(resideInAnyPackage(own))))
                .because(part + " may use only " + (allowed.length == 0 ? "itself" : String.join(", ", allowed))
                        + " of pirt (the arrows of docs/architecture.md)");
    }
}
