package io.pirt.tests.arm64;

import com.fazecast.jSerialComm.SerialPort;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Loads every native library the pirt-runtime package ships or pulls in, the way the
 * runtime's JVMs load them: JNA and jSerialComm from the package's root-owned copies in
 * /usr/lib/pirt/native (the launcher's properties), Pi4J by copying its own .so for this
 * os.arch out of its jar; and calls into each one. Run by tests/arm64/run.sh inside the
 * arm64 root filesystem, as the service's user, with the package's jars:
 *
 * <pre>java -DjSerialComm.library.path=/usr/lib/pirt/native/jSerialComm
 *     -Djna.boot.library.path=/usr/lib/pirt/native/jna/linux-aarch64 -Djna.nounpack=true
 *     -cp '/usr/share/pirt/lib/app/*:DIR' io.pirt.tests.arm64.NativeLibraryCheck</pre>
 *
 * Prints one line per library ("ok" or "FAILED" and why); exit code 0 when all loaded,
 * 1 when one did not. Not part of the Maven build: a file of its own, compiled by run.sh.
 */
public final class NativeLibraryCheck {
    /** The one C call made through JNA: proves libjnidispatch.so loaded and can call libc. */
    public interface LibC extends Library {
        int getpid();
    }

    public static void main(String[] args) {
        System.out.println("os.arch=" + System.getProperty("os.arch") + " java.version=" + System.getProperty("java.version")
                + " java.vm.name=" + System.getProperty("java.vm.name"));
        int failed = 0;
        failed += check("JNA " + Native.VERSION + " (libjnidispatch.so)", () -> {
            LibC c = Native.load("c", LibC.class);
            long pid = ProcessHandle.current().pid();
            int got = c.getpid();
            if (got != pid) throw new IllegalStateException("getpid() through JNA returned " + got + ", expected " + pid);
            return "native " + Native.VERSION_NATIVE + ", getpid()=" + got;
        });
        failed += check("jSerialComm " + SerialPort.getVersion() + " (libjSerialComm.so)", () -> {
            SerialPort[] ports = SerialPort.getCommPorts(); // a native call: the library must be loaded
            return ports.length + " serial ports listed";
        });
        failed += check("Pi4J gpiod (libgpiod.so, libpi4j-gpiod.so)", () -> {
            // GpioD's static initialiser loads both with Pi4J's NativeLibraryLoader, from
            // lib/<armhf|aarch64>/pi4j-gpiod/ in its jar: what Pi4jGpio.open does on a Pi.
            Class.forName("com.pi4j.library.gpiod.internal.GpioD", true, NativeLibraryCheck.class.getClassLoader());
            return "loaded for " + System.getProperty("os.arch");
        });
        System.out.println(failed == 0 ? "all native libraries loaded" : failed + " native libraries FAILED");
        System.exit(failed == 0 ? 0 : 1);
    }

    interface Check {
        String run() throws Throwable;
    }

    private static int check(String what, Check c) {
        try {
            System.out.println("ok      " + what + ": " + c.run());
            return 0;
        } catch (Throwable t) {
            System.out.println("FAILED  " + what + ": " + t);
            for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                System.out.println("        caused by " + cause);
            }
            return 1;
        }
    }
}
