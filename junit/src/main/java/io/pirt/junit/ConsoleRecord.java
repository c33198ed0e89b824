package io.pirt.junit;

import io.pirt.tools.client.ConsoleListener;
import io.pirt.wire.ConsoleSource;
import io.pirt.tools.console.ConsoleText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The board's console lines seen on a connection, numbered from 0 in arrival order, the
 * last {@link #KEPT_LINES} kept, as a person sees them ({@code [app] main: ...}). The link's
 * reader thread adds lines; tests wait for one matching a pattern. Thread-safe.
 */
final class ConsoleRecord implements ConsoleListener {
    /** Lines kept; an expectation looks back at most this far. */
    static final int KEPT_LINES = 5000;

    /** A line that matched: its number and the match. */
    record Found(long number, MatchResult match) {
    }

    // guarded by this
    /** The kept lines: numbers {@code next - lines.size()} .. {@code next - 1}. */
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    /** The number the next line gets = lines seen so far. */
    private long next;

    @Override
    public void onLine(ConsoleSource source, String line) {
        synchronized (this) {
            lines.addLast(ConsoleText.clean(line));
            if (lines.size() > KEPT_LINES) lines.removeFirst();
            next++;
            notifyAll();
        }
    }

    /** The number the next line will get. */
    synchronized long end() {
        return next;
    }

    /**
     * The first line numbered {@code from} or later in which {@code pattern} is found,
     * waiting for new lines until {@code deadlineNanos} ({@link System#nanoTime()}); null then.
     */
    synchronized Found await(long from, Pattern pattern, long deadlineNanos) throws InterruptedException {
        long at = Math.max(from, first());
        while (true) {
            if (at < first()) at = first(); // fell out of the record while waiting
            Iterator<String> it = lines.iterator();
            for (long skip = at - first(); skip > 0; skip--) it.next();
            for (; it.hasNext(); at++) {
                Matcher m = pattern.matcher(it.next());
                if (m.find()) return new Found(at, m.toMatchResult());
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return null;
            wait(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** The last {@code max} lines numbered {@code from} or later. */
    synchronized List<String> since(long from, int max) {
        long start = Math.max(Math.max(from, first()), next - max);
        List<String> out = new ArrayList<>();
        long n = first();
        for (String line : lines) {
            if (n++ >= start) out.add(line);
        }
        return out;
    }

    /** Under this: the number of the oldest kept line. */
    private long first() {
        return next - lines.size();
    }
}
