package io.voltworkflow.bench.disk;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.store.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The records of a run: one lane per workflow, in sequence order. Replaying appends each lane one record at a time,
 * waiting for it to be durable before the next (the strictest durability a workflow can ask for), with as many
 * lanes at once as workflows ran at once.
 */
public record AppendTrace(List<List<EventRecord>> lanes) {
    public AppendTrace {
        lanes = List.copyOf(lanes);
    }

    public long records() {
        return lanes.stream().mapToLong(List::size).sum();
    }

    /** The same lanes with every record encoded as the store encodes it. */
    public List<List<byte[]>> encoded() {
        List<List<byte[]>> encoded = new ArrayList<>(lanes.size());
        for (List<EventRecord> lane : lanes) {
            encoded.add(lane.stream().map(EventCodec::encode).toList());
        }
        return encoded;
    }

    /**
     * Replays {@code lanes} through {@code sink}, at most {@code inFlight} lanes at once (as many workflows as ran
     * at once live); returns the elapsed nanoseconds.
     */
    public static <T> long replay(List<List<T>> lanes, int inFlight, Function<T, CompletableFuture<Void>> sink)
            throws Exception {
        Semaphore permits = new Semaphore(inFlight);
        List<CompletableFuture<Void>> running = new ArrayList<>(lanes.size());
        long started = System.nanoTime();
        for (List<T> lane : lanes) {
            permits.acquire();
            running.add(replayLane(lane, 0, sink).whenComplete((ignored, error) -> permits.release()));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        return System.nanoTime() - started;
    }

    private static <T> CompletableFuture<Void> replayLane(
            List<T> lane, int from, Function<T, CompletableFuture<Void>> sink) {
        if (from == lane.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return sink.apply(lane.get(from)).thenCompose(ignored -> replayLane(lane, from + 1, sink));
    }
}
