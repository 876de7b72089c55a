package io.voltworkflow.bench.dag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A benchmark DAG in topological order: a node depends only on nodes with a smaller index, and waits for its
 * {@code latency} (zero means a no-op step). The same DAG runs through the orchestrator and through the baseline
 * runner, so both see exactly the same work.
 */
public record Dag(String shape, List<Node> nodes) {

    public record Node(int index, List<Integer> dependencies, Duration latency) {
        public Node {
            dependencies = List.copyOf(dependencies);
            for (int dependency : dependencies) {
                if (dependency < 0 || dependency >= index) {
                    throw new IllegalArgumentException(
                            "node " + index + " depends on " + dependency + ": not an earlier node");
                }
            }
            Objects.requireNonNull(latency, "latency");
        }
    }

    public Dag {
        nodes = List.copyOf(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).index() != i) {
                throw new IllegalArgumentException(
                        "node at position " + i + " has index " + nodes.get(i).index());
            }
        }
    }

    public int size() {
        return nodes.size();
    }

    /** Successor lists, the reverse of the dependency lists. */
    public List<List<Integer>> successors() {
        List<List<Integer>> successors = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            successors.add(new ArrayList<>());
        }
        for (Node node : nodes) {
            for (int dependency : node.dependencies()) {
                successors.get(dependency).add(node.index());
            }
        }
        return successors;
    }

    /**
     * For each node, the latency of the longest path from its start to the end of the DAG (its own latency
     * included): the priority of critical-path-first dispatch.
     */
    public long[] bottomLevelsNanos() {
        List<List<Integer>> successors = successors();
        long[] levels = new long[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            long longestAfter = 0;
            for (int successor : successors.get(i)) {
                longestAfter = Math.max(longestAfter, levels[successor]);
            }
            levels[i] = nodes.get(i).latency().toNanos() + longestAfter;
        }
        return levels;
    }

    /** The critical path: no schedule, however many workers, finishes sooner. */
    public Duration criticalPath() {
        long longest = 0;
        for (long level : bottomLevelsNanos()) {
            longest = Math.max(longest, level);
        }
        return Duration.ofNanos(longest);
    }

    public Duration totalWork() {
        return nodes.stream().map(Node::latency).reduce(Duration.ZERO, Duration::plus);
    }

    /** The makespan lower bound with at most {@code k} steps at once ({@code 0}: unbounded). */
    public Duration lowerBound(int k) {
        Duration criticalPath = criticalPath();
        if (k == 0) {
            return criticalPath;
        }
        Duration perWorker = totalWork().dividedBy(k);
        return perWorker.compareTo(criticalPath) > 0 ? perWorker : criticalPath;
    }
}
