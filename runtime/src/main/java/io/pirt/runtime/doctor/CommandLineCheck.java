package io.pirt.runtime.doctor;

import io.pirt.wire.message.DoctorReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The kernel command line ({@code /proc/cmdline}) against the CPUs the board profile pins
 * real-time threads to: {@code isolcpus} keeps other tasks off them; with it, {@code nohz_full}
 * stops the scheduler tick there, {@code rcu_nocbs} moves RCU callbacks away and
 * {@code irqaffinity} keeps interrupts on the other CPUs (kernel-parameters.txt).
 */
final class CommandLineCheck extends Check {
    CommandLineCheck() {
        super("cmdline", "kernel command line (isolcpus)");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        if (e.profile().isEmpty()) return skip("no board profile, so no real-time CPUs to compare with");
        List<Integer> rt = e.profile().get().realtime().cpus();
        if (rt.isEmpty()) return skip("board profile " + e.profile().get().id() + " pins no real-time CPU");
        Optional<List<String>> words = e.kernelCommandLine();
        if (words.isEmpty()) return skip("no /proc/cmdline to read");
        String cmdlineTxt = "/" + e.bootFile("cmdline.txt").orElse("boot/firmware/cmdline.txt");
        int cores = e.profile().get().cpuCores();
        String want = cpuList(new TreeSet<>(rt));
        TreeSet<Integer> others = new TreeSet<>();
        for (int c = 0; c < cores; c++) if (!rt.contains(c)) others.add(c);
        String wantLine = "isolcpus=" + want + " nohz_full=" + want + " rcu_nocbs=" + want + (others.isEmpty() ? "" : " irqaffinity=" + cpuList(others));
        Optional<String> isolcpus = value(words.get(), "isolcpus");
        if (isolcpus.isEmpty()) {
            return warn("no isolcpus: " + (rt.size() > 1 ? "the real-time CPUs " + want + " of profile " + e.profile().get().id() + " also run"
                    : "the real-time CPU " + want + " of profile " + e.profile().get().id() + " also runs") + " other tasks", "add " + wantLine + " to the one line of " + cmdlineTxt + ", then reboot (docs/realtime.md)");
        }
        List<String> problems = new ArrayList<>();
        // isolcpus=[flag,...,]cpu-list: the flags (nohz, domain, managed_irq) come first.
        String list = isolcpus.get().replaceAll("^([a-z_]+,)*", "");
        TreeSet<Integer> isolated = cpus(list);
        if (!isolated.containsAll(rt)) problems.add("isolcpus=" + isolcpus.get() + " does not cover the profile's real-time CPUs " + want);
        for (String key : List.of("nohz_full", "rcu_nocbs")) {
            Optional<String> v = value(words.get(), key);
            if (v.isEmpty()) problems.add(key + " missing");
            else if (!cpus(v.get()).containsAll(rt)) problems.add(key + "=" + v.get() + " does not cover " + want);
        }
        Optional<String> irq = value(words.get(), "irqaffinity");
        if (irq.isEmpty() && !others.isEmpty()) problems.add("irqaffinity missing");
        else if (irq.isPresent() && cpus(irq.get()).stream().anyMatch(rt::contains)) problems.add("irqaffinity=" + irq.get() + " includes a real-time CPU");
        String found = "isolcpus=" + isolcpus.get() + " (profile " + e.profile().get().id() + " pins real-time threads to CPU " + want + ")";
        if (problems.isEmpty()) return ok(found + " with nohz_full, rcu_nocbs and irqaffinity");
        return warn(found + ": " + String.join("; ", problems), "make the line of " + cmdlineTxt + " carry " + wantLine + ", then reboot");
    }

    /** The value of {@code key=} on the command line, the last one if repeated. */
    static Optional<String> value(List<String> words, String key) {
        Optional<String> v = Optional.empty();
        for (String w : words) if (w.startsWith(key + "=")) v = Optional.of(w.substring(key.length() + 1));
        return v;
    }

    /** A kernel CPU list ({@code 0-2,3}); parts that are not numbers or ranges are left out. */
    static TreeSet<Integer> cpus(String list) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : list.split(",")) {
            if (part.matches("\\d+")) cpus.add(Integer.parseInt(part));
            else if (part.matches("\\d+-\\d+")) {
                String[] r = part.split("-");
                for (int c = Integer.parseInt(r[0]); c <= Integer.parseInt(r[1]); c++) cpus.add(c);
            }
        }
        return cpus;
    }

    /** {@code 0-2} or {@code 3} or {@code 1,3}. */
    static String cpuList(TreeSet<Integer> cpus) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int c : cpus) {
            if (start == null) {
                start = c;
            } else if (c != prev + 1) {
                parts.add(start.equals(prev) ? "" + start : start + "-" + prev);
                start = c;
            }
            prev = c;
        }
        if (start != null) parts.add(start.equals(prev) ? "" + start : start + "-" + prev);
        return String.join(",", parts);
    }
}
