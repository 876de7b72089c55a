package io.jenkins.plugins.voltworkflow.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

    private static final String CODEGEN = "Generate Code for Task a";
    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
    private final ProgressThrottle throttle = new ProgressThrottle(new ConsoleLines(new SecretMask()));
    private long sequence;

    private List<String> at(long second, WorkflowEvent event) {
        return throttle.linesFor(new EventRecord(WorkflowId.of("wf-1"), ++sequence, START.plusSeconds(second), event));
    }

    private static WorkflowEvent.StepProgress tokens(String step, int tokens, int elapsed) {
        return new WorkflowEvent.StepProgress(
                step, "gpt-4.1 generating: ~" + tokens + " tokens received, " + elapsed + " s elapsed");
    }

    @Test
    void aStreamingModelGetsOneLineEveryIntervalAndItsLastReportWhenTheStepEnds() {
        List<String> console = new ArrayList<>();
        console.addAll(at(0, new WorkflowEvent.StepStarted(CODEGEN, 1, "k", false)));
        for (int second = 1; second <= 40; second += 2) { // the engine reports every two seconds
            console.addAll(at(second, tokens(CODEGEN, second * 50, second)));
        }
        console.addAll(at(41, new WorkflowEvent.StepProgress(CODEGEN, "gpt-4.1 answered: 8200 characters in 41 s")));
        console.addAll(at(42, new WorkflowEvent.StepCompleted(CODEGEN, 1, 42_000, null, null, Map.of())));

        assertThat(console)
                .containsExactly(
                        "[volt] '" + CODEGEN + "' started",
                        "[volt] '" + CODEGEN + "': gpt-4.1 generating: ~50 tokens received, 1 s elapsed",
                        "[volt] '" + CODEGEN + "': gpt-4.1 generating: ~850 tokens received, 17 s elapsed",
                        "[volt] '" + CODEGEN + "': gpt-4.1 generating: ~1650 tokens received, 33 s elapsed",
                        "[volt] '" + CODEGEN + "': gpt-4.1 answered: 8200 characters in 41 s",
                        "[volt] '" + CODEGEN + "' completed in 42.0s");
    }

    @Test
    void stepsAreThrottledEachOnItsOwnAndANewAttemptStartsAfresh() {
        assertThat(at(0, tokens("A", 10, 0))).hasSize(1);
        assertThat(at(1, tokens("B", 10, 0))).hasSize(1);
        assertThat(at(2, tokens("A", 20, 2))).isEmpty();
        assertThat(at(
                        3,
                        new WorkflowEvent.StepRetrying(
                                "A", 1, 3000, StepError.retryable(StepError.NETWORK_ERROR, "reset"), 1000, null, null)))
                .containsExactly(
                        "[volt] 'A': gpt-4.1 generating: ~20 tokens received, 2 s elapsed",
                        "[volt] 'A' attempt 1 failed, retrying in 1.0s: NETWORK_ERROR reset");
        assertThat(at(5, tokens("A", 5, 1))).hasSize(1);
        assertThat(at(6, tokens("B", 30, 6))).isEmpty();
    }

    @Test
    void repairRoundsGetTheirLine() {
        assertThat(at(
                        0,
                        new WorkflowEvent.RepairRoundStarted(
                                CODEGEN,
                                "Validate Task a",
                                1,
                                2,
                                StepError.recoverable(StepError.VALIDATION_FAILED, "1 failure"))))
                .containsExactly("[volt] '" + CODEGEN + "' repair round 1 of 2 after 'Validate Task a' failed: "
                        + "VALIDATION_FAILED 1 failure");
    }
}
