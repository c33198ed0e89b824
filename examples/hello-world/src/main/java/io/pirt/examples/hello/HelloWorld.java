package io.pirt.examples.hello;

import io.pirt.threading.Lock;
import io.pirt.threading.Threading;

/**
 * The Lock example of the Zerynth threading documentation, ported: two threads compete to
 * print "Hello" and "World"; the Lock makes sure one prints while the other waits.
 *
 * <pre>
 * lock = threading.Lock()
 * def threadfun(msg):
 *     while True:
 *         lock.acquire()
 *         print(msg)
 *         lock.release()
 * thread(threadfun, "Hello")
 * thread(threadfun, "World")
 * </pre>
 *
 * The original loops at full speed; this port sleeps 500 ms between prints so a serial
 * console can follow.
 */
public final class HelloWorld {
    private static final Lock LOCK = new Lock();

    private HelloWorld() {
    }

    public static void main(String[] args) {
        Threading.thread(() -> threadfun("Hello"));
        Threading.thread(() -> threadfun("World"));
    }

    static void threadfun(String msg) {
        while (true) {
            LOCK.acquire();
            System.out.println(msg);
            LOCK.release();
            Threading.sleep(500);
        }
    }
}
