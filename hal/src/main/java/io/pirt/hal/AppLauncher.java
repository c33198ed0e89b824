package io.pirt.hal;

import io.pirt.threading.Thread;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The main class of an application process started by the pirt runtime:
 * {@code AppLauncher MAIN_CLASS [ARGS...]} links up with the runtime (heartbeat, thread
 * reports, stop requests; see {@link Supervisor}), then runs {@code MAIN_CLASS.main(ARGS)}
 * on the {@code main} thread, adopted as a pirt Thread. Applications do not call this.
 */
public final class AppLauncher {
    private AppLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: AppLauncher MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        SupervisorLink.connectIfSupervised();
        Thread.current(); // adopt main now, so `ps` lists it from the start
        MethodHandle main;
        try {
            Class<?> app = Class.forName(args[0], true, AppLauncher.class.getClassLoader());
            main = MethodHandles.publicLookup().findStatic(app, "main", MethodType.methodType(void.class, String[].class));
        } catch (ClassNotFoundException e) {
            System.err.println("pirt: the application's main class " + args[0] + " is not in its jar(s)");
            System.exit(1);
            return;
        } catch (NoSuchMethodException | IllegalAccessException e) {
            System.err.println("pirt: " + args[0] + " has no public static void main(String[]) (" + e.getMessage() + ")");
            System.exit(1);
            return;
        }
        String[] appArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
        main.invokeExact(appArgs); // what main throws reaches the JVM's handler: reported on stderr, exit code 1
    }
}
