package io.voltworkflow.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Time that moves only when a test says so. {@link #advance(Duration)} runs every task that falls due, in due
 * order, on the calling thread; tasks scheduled by those tasks run too if they fall due within the advance.
 */
public final class VirtualTimeSource implements TimeSource {
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    public VirtualTimeSource() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public VirtualTimeSource(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        Entry entry = new Entry(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
        queue.add(entry);
        return () -> entry.cancelled.compareAndSet(false, true);
    }

    /** Moves time forward by {@code duration}, running due tasks outside the lock. */
    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
            }
            if (next.cancelled.compareAndSet(false, true)) {
                next.task.run();
            }
        }
    }

    /** Runs what is due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** How many scheduled, not cancelled tasks are waiting. */
    public synchronized int pendingTasks() {
        return (int) queue.stream().filter(e -> !e.cancelled.get()).count();
    }

    /** Time until the next pending task, if any; lets a test jump straight to the next timer. */
    public synchronized @Nullable Duration untilNextTask() {
        return queue.stream()
                .filter(e -> !e.cancelled.get())
                .map(e -> Duration.between(now, e.due))
                .min(Duration::compareTo)
                .orElse(null);
    }

    private record Entry(Instant due, long sequence, Runnable task, AtomicBoolean cancelled)
            implements Comparable<Entry> {
        Entry(Instant due, long sequence, Runnable task) {
            this(due, sequence, task, new AtomicBoolean());
        }

        @Override
        public int compareTo(Entry other) {
            int byDue = due.compareTo(other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
