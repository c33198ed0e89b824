package io.pirt.runtime.doctor;

import io.pirt.wire.message.DoctorReport;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The board's memory ({@code MemTotal} of {@code /proc/meminfo}) against the heap applications
 * get ({@link JvmHeap#maxHeapBytes} of the application JVM flags, {@link Examination#applicationJvmFlags}). More than about half
 * leaves too little for the two JVMs' own memory, the page cache and the system.
 */
final class MemoryCheck extends Check {
    MemoryCheck() {
        super("memory", "memory for the application heap");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        Optional<Long> totalKib = e.files().read("proc/meminfo").flatMap(m -> m.lines().filter(l -> l.startsWith("MemTotal:")).findFirst())
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")));
        if (totalKib.isEmpty()) return skip("no MemTotal in /proc/meminfo");
        long totalMib = totalKib.get() / 1024;
        OptionalLong heap = JvmHeap.maxHeapBytes(e.applicationJvmFlags());
        if (heap.isEmpty()) return ok(totalMib + " MiB (/proc/meminfo); applications get the JVM's default heap, a quarter of it");
        long heapMib = heap.getAsLong() >> 20;
        String found = "application heap " + heapMib + " MiB of " + totalMib + " MiB (/proc/meminfo MemTotal)";
        if (heapMib * 2 > totalMib) {
            return warn(found + ": more than half, leaving little for the JVMs themselves and the system",
                    "give applications a smaller heap: --app-jvm-flag for each flag (-Xms/-Xmx, e.g. 128m) in PIRT_OPTS of "
                            + "/etc/pirt/pirt.conf, then sudo systemctl restart pirt-runtime (docs/runtime.md)");
        }
        return ok(found);
    }
}
