package io.voltworkflow.bench.disk;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.store.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The append calls of a run: one lane per workflow, each lane's calls in order. Replaying runs every lane at once
 * and each lane one call at a time, waiting for durability before the next, as a workflow waits for its transition
 * to be durable before it moves on.
 */
public record AppendTrace(List<List<List<EventRecord>>> lanes) {
  public AppendTrace {
    lanes = List.copyOf(lanes);
  }

  public long records() {
    return lanes.stream().flatMap(List::stream).mapToLong(List::size).sum();
  }

  /** The same calls with every record encoded as the store encodes it. */
  public List<List<List<byte[]>>> encoded() {
    List<List<List<byte[]>>> encoded = new ArrayList<>(lanes.size());
    for (List<List<EventRecord>> lane : lanes) {
      List<List<byte[]>> calls = new ArrayList<>(lane.size());
      for (List<EventRecord> call : lane) {
        calls.add(call.stream().map(EventCodec::encode).toList());
      }
      encoded.add(calls);
    }
    return encoded;
  }

  /** Replays {@code lanes} through {@code sink}; returns the elapsed nanoseconds. */
  public static <T> long replay(List<List<T>> lanes, Function<T, CompletableFuture<Void>> sink) throws Exception {
    long started = System.nanoTime();
    List<CompletableFuture<Void>> running = new ArrayList<>(lanes.size());
    for (List<T> lane : lanes) {
      running.add(replayLane(lane, 0, sink));
    }
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
    return System.nanoTime() - started;
  }

  private static <T> CompletableFuture<Void> replayLane(List<T> lane, int from, Function<T, CompletableFuture<Void>> sink) {
    if (from == lane.size()) {
      return CompletableFuture.completedFuture(null);
    }
    return sink.apply(lane.get(from)).thenCompose(ignored -> replayLane(lane, from + 1, sink));
  }
}
