package io.voltworkflow.bench.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagTest {

    @Test
    void criticalPathIsTheLongestLatencyPath() {
        Dag dag = new Dag(
                "diamond",
                List.of(
                        new Dag.Node(0, List.of(), Duration.ofMillis(5)),
                        new Dag.Node(1, List.of(0), Duration.ofMillis(20)),
                        new Dag.Node(2, List.of(0), Duration.ofMillis(7)),
                        new Dag.Node(3, List.of(1, 2), Duration.ofMillis(1))));

        assertThat(dag.criticalPath()).isEqualTo(Duration.ofMillis(26));
        assertThat(dag.totalWork()).isEqualTo(Duration.ofMillis(33));
        assertThat(dag.lowerBound(1)).isEqualTo(Duration.ofMillis(33));
        assertThat(dag.lowerBound(2)).isEqualTo(Duration.ofMillis(26));
    }

    @Test
    void layeredGraphsAreReproducibleFromTheirSeed() {
        assertThat(Dags.layered(3, 4, 5, 2, 5, 20)).isEqualTo(Dags.layered(3, 4, 5, 2, 5, 20));
    }

    @Test
    void aNodeMayOnlyDependOnEarlierNodes() {
        assertThatThrownBy(() -> new Dag.Node(1, List.of(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 1 depends on 1");
    }
}
