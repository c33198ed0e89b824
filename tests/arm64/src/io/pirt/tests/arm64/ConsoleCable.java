package io.pirt.tests.arm64;

import io.pirt.virtualboard.CableFaults;
import io.pirt.virtualboard.VirtualCable;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The serial cable between the runtime in the arm64 root filesystem and the host's pirt tool
 * (tests/arm64/run.sh): the virtual board's {@link VirtualCable}, two pseudo-terminals joined
 * by a relay, unpaced. Prints {@code board PATH} (the /dev/pts/N the runtime opens as its
 * console; /dev/pts is bind-mounted into the root filesystem, so the path is the same there)
 * and {@code host PATH} (a link the tool opens), then relays until SIGTERM.
 *
 * <pre>java -cp 'flash-tools/target/lib/*:DIR' io.pirt.tests.arm64.ConsoleCable DIR</pre>
 */
public final class ConsoleCable {
    private ConsoleCable() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ConsoleCable DIR");
            System.exit(2);
        }
        VirtualCable cable = new VirtualCable(Path.of(args[0]), 0, CableFaults.NONE);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new java.lang.Thread(() -> {
            cable.close();
            closed.countDown();
        }, "cable-close"));
        System.out.println("board " + cable.boardPort().toRealPath());
        System.out.println("host " + cable.hostPort());
        System.out.flush();
        closed.await();
    }
}
