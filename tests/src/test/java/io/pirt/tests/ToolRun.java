package io.pirt.tests;

import io.pirt.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the {@code pirt} tool in this process, with what it printed. */
record ToolRun(int exitCode, String out, String err) {
    static ToolRun pirt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new ToolRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
