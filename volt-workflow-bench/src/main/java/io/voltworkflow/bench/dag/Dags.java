package io.voltworkflow.bench.dag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The DAG shapes the scenarios use; random ones are seeded, so every run measures the same graphs. */
public final class Dags {
    private Dags() {}

    /** {@code length} steps, each depending on the previous one. */
    public static Dag chain(int length, Duration latency) {
        List<Dag.Node> nodes = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            nodes.add(new Dag.Node(i, i == 0 ? List.of() : List.of(i - 1), latency));
        }
        return new Dag("chain-" + length, nodes);
    }

    /** One root, {@code width} independent steps after it, one join step after all of them. */
    public static Dag fanOutFanIn(int width, Duration latency) {
        List<Dag.Node> nodes = new ArrayList<>(width + 2);
        nodes.add(new Dag.Node(0, List.of(), latency));
        List<Integer> middle = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
            nodes.add(new Dag.Node(i, List.of(0), latency));
            middle.add(i);
        }
        nodes.add(new Dag.Node(width + 1, middle, latency));
        return new Dag("fan-" + width, nodes);
    }

    /**
     * {@code layers} layers of {@code width} steps; each step depends on 1 to {@code maxDependencies} steps of the
     * layer before, and waits a latency drawn uniformly from [min, max] milliseconds. Uneven latencies make
     * critical-path-first and FIFO dispatch differ once concurrency is bounded.
     */
    public static Dag layered(
            long seed, int layers, int width, int maxDependencies, int minLatencyMs, int maxLatencyMs) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Dag.Node> nodes = new ArrayList<>(layers * width);
        for (int layer = 0; layer < layers; layer++) {
            for (int column = 0; column < width; column++) {
                int index = nodes.size();
                List<Integer> dependencies = new ArrayList<>();
                if (layer > 0) {
                    int count = 1 + random.nextInt(Math.min(maxDependencies, width));
                    int previousLayerStart = (layer - 1) * width;
                    while (dependencies.size() < count) {
                        int candidate = previousLayerStart + random.nextInt(width);
                        if (!dependencies.contains(candidate)) {
                            dependencies.add(candidate);
                        }
                    }
                    dependencies.sort(null);
                }
                Duration latency = Duration.ofMillis(minLatencyMs + random.nextInt(maxLatencyMs - minLatencyMs + 1));
                nodes.add(new Dag.Node(index, dependencies, latency));
            }
        }
        return new Dag("layered-" + layers + "x" + width, nodes);
    }

    /**
     * {@code width} independent short steps listed first, then a chain of {@code chainLength} long steps: with
     * bounded concurrency FIFO runs the short ones first and delays the chain, critical-path-first starts the chain
     * at once. The classic case where dispatch order decides the makespan.
     */
    public static Dag chainBehindFan(int width, Duration shortLatency, int chainLength, Duration longLatency) {
        List<Dag.Node> nodes = new ArrayList<>(width + chainLength);
        for (int i = 0; i < width; i++) {
            nodes.add(new Dag.Node(i, List.of(), shortLatency));
        }
        for (int i = 0; i < chainLength; i++) {
            int index = width + i;
            nodes.add(new Dag.Node(index, i == 0 ? List.of() : List.of(index - 1), longLatency));
        }
        return new Dag("chain-behind-fan-" + width, nodes);
    }
}
