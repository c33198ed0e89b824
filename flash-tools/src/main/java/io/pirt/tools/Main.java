package io.pirt.tools;

import java.io.PrintWriter;

/**
 * Entry point of the {@code pirt} tool; the {@code ./pirt} launcher runs this class.
 *
 * <p>Exit codes: 0 ok, 1 failure (the reason is on stderr), 2 usage error.
 */
public final class Main {
    private Main() {
    }

    /** Runs {@code pirt} with the process's standard streams and exits with its code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, System.out.charset());
        PrintWriter err = new PrintWriter(System.err, true, System.err.charset());
        System.exit(run(args, out, err));
    }

    /**
     * Runs {@code pirt} in this process, writing to {@code out} and {@code err}; for tests
     * and for tools that embed it.
     *
     * @return the exit code: 0 ok, 1 failure, 2 usage error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        try {
            return PirtCommand.commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
