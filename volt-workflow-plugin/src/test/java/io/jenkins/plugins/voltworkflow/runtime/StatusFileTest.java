package io.jenkins.plugins.voltworkflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.voltworkflow.fixtures.Statuses;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFileTest {

    @TempDir
    Path buildDirectory;

    @Test
    void keepsTheLastStatusInTheSharedJsonShape() {
        StatusFile file = new StatusFile(buildDirectory.resolve("volt-workflow/volt"));
        assertThat(file.read()).isEmpty();

        file.write(Statuses.status(WorkflowState.RUNNING, 0, 1, StepState.RUNNING, 0));
        file.write(Statuses.status(WorkflowState.COMPLETED, 1500, 1, StepState.COMPLETED, 0));

        assertThat(file.read())
                .get()
                .asString()
                .contains(
                        "\"state\":\"completed\"",
                        "\"workflowId\":\"wf-1\"",
                        "\"durationMs\":1500",
                        "\"finishedAt\":\"2026-11-25T22:00:01.5");
    }
}
