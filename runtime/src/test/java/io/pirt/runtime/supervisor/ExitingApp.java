package io.pirt.runtime.supervisor;

/** An application whose main returns at once with no thread left: it exits, which a bundle on trial must not. */
public final class ExitingApp {
    private ExitingApp() {
    }

    public static void main(String[] args) {
        System.out.println("nothing to do");
    }
}
