package io.voltworkflow.bench.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.time.VirtualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BaselineRunnerTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void unboundedRunFinishesAtTheCriticalPath() {
        Dag dag = Dags.layered(7, 5, 6, 3, 5, 20);

        assertThat(makespan(dag, 0, Dispatch.CRITICAL_PATH_FIRST)).isEqualTo(dag.criticalPath());
    }

    @Test
    void criticalPathFirstStartsTheChainBeforeTheShortStepsFifoDoesNot() {
        Dag dag = Dags.chainBehindFan(8, Duration.ofMillis(5), 4, Duration.ofMillis(10));

        assertThat(dag.criticalPath()).isEqualTo(Duration.ofMillis(40));
        assertThat(makespan(dag, 2, Dispatch.CRITICAL_PATH_FIRST)).isEqualTo(Duration.ofMillis(40));
        // FIFO: the 8 short steps take 4 rounds of 5 ms on both slots before the chain starts.
        assertThat(makespan(dag, 2, Dispatch.FIFO)).isEqualTo(Duration.ofMillis(60));
    }

    @Test
    void noOpStepsCompleteWithoutTime() {
        Dag dag = Dags.fanOutFanIn(50, Duration.ZERO);

        CompletableFuture<Void> run =
                new BaselineRunner(Runnable::run, new VirtualTimeSource(START), 3, Dispatch.FIFO).run(dag);

        assertThat(run).isCompleted();
    }

    @Test
    void neverRunsMoreThanTheBound() {
        Dag dag = Dags.fanOutFanIn(10, Duration.ofMillis(10));

        // 1 root, 10 middle steps on 3 slots (4 rounds), 1 join: 6 rounds of 10 ms.
        assertThat(makespan(dag, 3, Dispatch.FIFO)).isEqualTo(Duration.ofMillis(60));
        assertThat(dag.lowerBound(3)).isEqualTo(Duration.ofMillis(40));
    }

    private static Duration makespan(Dag dag, int bound, Dispatch dispatch) {
        VirtualTimeSource time = new VirtualTimeSource(START);
        CompletableFuture<Void> run = new BaselineRunner(Runnable::run, time, bound, dispatch).run(dag);
        while (!run.isDone()) {
            Duration next = time.untilNextTask();
            assertThat(next).as("a step is waiting while the run is not done").isNotNull();
            time.advance(next);
        }
        assertThat(run).isCompleted();
        return Duration.between(START, time.now());
    }
}
