package io.pirt.runtime.supervisor;

import io.pirt.hal.Supervisor;
import io.pirt.threading.Lock;

/** An application that arms its watchdog and deadlocks: the runtime must see it hang. */
public final class HangingApp {
    private HangingApp() {
    }

    public static void main(String[] args) {
        Supervisor.watchdog(300);
        Lock lock = new Lock();
        lock.acquire();
        lock.acquire();
    }
}
