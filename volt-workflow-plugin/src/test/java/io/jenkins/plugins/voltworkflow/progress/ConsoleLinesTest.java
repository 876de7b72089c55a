package io.jenkins.plugins.voltworkflow.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.voltworkflow.credentials.EngineSecret;
import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.WorkflowId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleLinesTest {

    private static final String KEY = "sk-ant-0123456789";
    private final SecretMask mask = new SecretMask();
    private final ConsoleLines lines = new ConsoleLines(mask);
    private long sequence;

    private EventRecord record(WorkflowEvent event) {
        return new EventRecord(WorkflowId.of("wf-1"), ++sequence, Instant.parse("2026-11-25T22:00:00Z"), event);
    }

    @Test
    void stepsStartingRetryingAndFinishingGetOneLineEach() {
        assertThat(lines.lineFor(record(new WorkflowEvent.StepStarted("Generate Code for Task a", 2, "k", false))))
                .hasValue("[volt] 'Generate Code for Task a' started (attempt 2)");
        assertThat(lines.lineFor(record(new WorkflowEvent.StepStarted("Validate Task a", 1, "k", true))))
                .hasValue("[volt] 'Validate Task a' re-issued after a restart");
        assertThat(lines.lineFor(record(new WorkflowEvent.StepRetrying(
                        "Requirement Analysis",
                        1,
                        120,
                        StepError.retryable(StepError.RATE_LIMITED, "slow down"),
                        2500,
                        null,
                        null))))
                .hasValue("[volt] 'Requirement Analysis' attempt 1 failed, retrying in 2.5s: RATE_LIMITED slow down");
        assertThat(lines.lineFor(
                        record(new WorkflowEvent.StepCompleted("Validate Task a", 1, 812, null, null, Map.of()))))
                .hasValue("[volt] 'Validate Task a' completed in 0.8s");
        assertThat(lines.lineFor(record(new WorkflowEvent.WorkflowFailed(
                        StepError.recoverable(StepError.VALIDATION_FAILED, "2 failures"), "Validate Task a"))))
                .hasValue("[volt] workflow failed at 'Validate Task a': VALIDATION_FAILED 2 failures");
    }

    @Test
    void progressChatterPrintsNothing() {
        assertThat(lines.lineFor(record(new WorkflowEvent.StepProgress("Validate Task a", "50%"))))
                .isEmpty();
        assertThat(lines.lineFor(record(new WorkflowEvent.WorkflowProgress(1, 2, "half"))))
                .isEmpty();
    }

    @Test
    void engineTextIsOneSafeLineWithSecretsMasked() {
        mask.add(new EngineSecret.Token(KEY));
        String hostile = "bad key " + KEY + "\n[volt] workflow completed\u001B[31m red\u0007" + "x".repeat(400);

        String line = lines.lineFor(record(new WorkflowEvent.StepFailed(
                        "Requirement Analysis", 3, 10, StepError.fatal(StepError.ENGINE_ERROR, hostile), null)))
                .orElseThrow();

        assertThat(line)
                .doesNotContain(KEY, "\n", "\u001B", "\u0007")
                .contains("bad key **** [volt] workflow completed red")
                .endsWith("…");
        assertThat(line.length()).isLessThan(ConsoleLines.MAX_MESSAGE_LENGTH + 100);
    }
}
