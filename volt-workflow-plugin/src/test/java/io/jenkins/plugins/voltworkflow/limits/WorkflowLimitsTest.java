package io.jenkins.plugins.voltworkflow.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkflowLimitsTest {

    @Test
    void aStepOverridesOnlyWhatItSets() {
        WorkflowLimits global = WorkflowLimits.builder(WorkflowLimits.DEFAULTS)
                .maxRetries(5)
                .budgetUsd(2.5)
                .build();

        WorkflowLimits step = WorkflowLimits.builder(global)
                .maxConcurrentSteps(8)
                .stepTimeoutMinutes(null)
                .build();

        assertThat(step.maxConcurrentSteps()).isEqualTo(8);
        assertThat(step.maxRetries()).isEqualTo(5);
        assertThat(step.stepTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(step.budgetUsd()).hasValue(2.5);
        assertThat(WorkflowLimits.DEFAULTS.budgetUsd()).isEmpty();
    }

    @Test
    void outOfRangeValuesAreAllNamed() {
        assertThatThrownBy(() -> WorkflowLimits.builder(WorkflowLimits.DEFAULTS)
                        .maxConcurrentSteps(0)
                        .stepTimeoutMinutes(0)
                        .maxRetries(11)
                        .budgetUsd(-1.0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("concurrency must be between 1 and 64, was 0; "
                        + "the step timeout must be between 1 and 1440 minutes, was 0; "
                        + "retries must be between 0 and 10, was 11; "
                        + "the budget must be a non-negative amount of US dollars (0 = no budget), was -1.0");
        assertThat(WorkflowLimits.budgetProblem(Double.NaN)).isPresent();
    }
}
