package io.pirt.runtime.doctor;

import io.pirt.runtime.machine.RootFiles;
import java.util.ArrayList;
import java.util.List;

/** A user's groups from ROOT/etc/group and ROOT/etc/passwd, and whether a device node lets the user read and write. Stateless. */
final class Groups {
    private Groups() {
    }

    /** The groups {@code user} is in: its primary group (etc/passwd) and every group listing it (etc/group). */
    static List<String> of(RootFiles files, String user) {
        List<String> groups = new ArrayList<>();
        String primaryGid = null;
        for (String line : files.read("etc/passwd").orElse("").split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length > 3 && f[0].equals(user)) primaryGid = f[3];
        }
        for (String line : files.read("etc/group").orElse("").split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 4) continue;
            boolean member = f[2].equals(primaryGid) || List.of(f[3].split(",")).contains(user);
            if (member && !groups.contains(f[0])) groups.add(f[0]);
        }
        return groups;
    }

    /** Whether {@code user} in {@code groups} may open the node read-write. */
    static boolean mayReadWrite(RootFiles.DevNode node, String user, List<String> groups) {
        if (node.owner().equals(user) && node.mode().charAt(0) == 'r' && node.mode().charAt(1) == 'w') return true;
        if (groups.contains(node.group()) && node.groupCanReadWrite()) return true;
        return node.othersCanReadWrite();
    }
}
