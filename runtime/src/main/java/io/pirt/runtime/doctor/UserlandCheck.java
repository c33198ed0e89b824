package io.pirt.runtime.doctor;

import io.pirt.wire.message.DoctorReport;
import java.util.Optional;

/**
 * Whether the userland is 64-bit, from the ELF header of the java binary the runtime runs
 * (class and machine: what the JVM is built for, which is what decides ZGC), else from
 * OS_ARCH in the Java home's {@code release} file. Never from {@code uname -m}: a 64-bit
 * kernel (aarch64) boots a 32-bit Raspberry Pi OS on a Pi 4 or 5.
 */
final class UserlandCheck extends Check {
    UserlandCheck() {
        super("userland", "64-bit userland");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        Optional<Examination.JavaLocation> java = e.java();
        if (java.isEmpty()) return skip("no java found (see the Java check), so no binary to read the architecture of");
        Optional<Examination.JvmArch> jvm = e.jvmArch(java.get());
        if (jvm.isEmpty()) {
            return warn("cannot tell: /" + java.get().binary() + " is not a readable ELF file and /" + java.get().home()
                    + "/release has no OS_ARCH", "check with: dpkg --print-architecture (arm64 is 64-bit, armhf 32-bit)");
        }
        String arch = jvm.get().arch();
        String source = jvm.get().source();
        return switch (arch) {
            case "aarch64", "x86_64", "amd64" -> ok("64-bit: " + source);
            case "arm" -> warn("32-bit (armhf): " + source,
                    "a 32-bit JVM has no ZGC, so applications run with the fallback collector and a longer latency tail "
                            + "(docs/realtime.md). For the full real-time setup install Raspberry Pi OS (64-bit) and a 64-bit JDK "
                            + "(dpkg --print-architecture then says arm64; uname -m says aarch64 either way)");
            default -> warn("not an ARM or x86 userland: " + source, "pirt is tested on arm64 Raspberry Pi OS; check with: "
                    + "dpkg --print-architecture");
        };
    }
}
