package io.pirt.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** pirt:flash and pirt:console: the port is the one thing they cannot do without. */
class BoardGoalsTest {
    @Test
    void flashSendsTheBundleToThePort() throws Exception {
        FlashMojo m = new FlashMojo();
        m.port = "/dev/ttyACM0";
        m.bundle = new File("/p/target/app-1.0.0.pirt");
        assertEquals(List.of("flash", "--port", "/dev/ttyACM0", "/p/target/app-1.0.0.pirt"), m.arguments());
        m.baud = 921600;
        assertEquals(List.of("flash", "--port", "/dev/ttyACM0", "--baud", "921600", "/p/target/app-1.0.0.pirt"), m.arguments());
    }

    @Test
    void consoleOpensThePortWithItsLog() throws Exception {
        ConsoleMojo m = new ConsoleMojo();
        m.port = "/dev/ttyUSB0";
        assertEquals(List.of("console", "--port", "/dev/ttyUSB0"), m.arguments());
        m.baud = 57600;
        m.log = new File("/tmp/board.log");
        assertEquals(List.of("console", "--port", "/dev/ttyUSB0", "--baud", "57600", "--log", "/tmp/board.log"), m.arguments());
    }

    @Test
    void withoutAPortBothSayHowToNameOne() {
        FlashMojo flash = new FlashMojo();
        flash.bundle = new File("x.pirt");
        ConsoleMojo console = new ConsoleMojo();
        console.port = " ";
        for (MojoExecutionException e : List.of(assertThrows(MojoExecutionException.class, flash::arguments),
                assertThrows(MojoExecutionException.class, console::arguments))) {
            assertTrue(e.getMessage().contains("-Dpirt.port=/dev/ttyACM0"), e.getMessage());
            assertTrue(e.getMessage().contains("`pirt ports`"), e.getMessage());
        }
    }
}
