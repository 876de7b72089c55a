package io.jenkins.plugins.voltworkflow.history;

import static io.jenkins.plugins.voltworkflow.fixtures.Statuses.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobHistoryTest {

    private static JobHistory.Entry entry(int build, WorkflowStatus status) {
        return new JobHistory.Entry(build, "job/app/" + build + "/volt-workflow/", "volt", WorkflowSummary.of(status));
    }

    @Test
    void ratesAndDurationsCountFinishedWorkflowsOnly() {
        JobHistory history = new JobHistory(List.of(
                entry(4, status(WorkflowState.RUNNING, 0, 1, StepState.RUNNING, 0)),
                entry(3, status(WorkflowState.COMPLETED, 1000, 2, StepState.COMPLETED, 0.5)),
                entry(2, status(WorkflowState.FAILED, 3000, 3, StepState.FAILED, 0.25)),
                entry(1, status(WorkflowState.COMPLETED, 2000, 1, StepState.COMPLETED, 0))));

        assertThat(history.getFinished()).isEqualTo(3);
        assertThat(history.getSuccessPercent()).isEqualTo(67);
        assertThat(history.getAverageDurationMs()).isEqualTo(2000);
        assertThat(history.getMedianDurationMs()).isEqualTo(2000);
        assertThat(history.getRetries()).isEqualTo(3);
        assertThat(history.getTotalCostUsd()).isEqualTo(0.75);
    }

    @Test
    void theTrendDrawsFinishedWorkflowsOldestFirstScaledToTheLongest() {
        JobHistory history = new JobHistory(List.of(
                entry(4, status(WorkflowState.RUNNING, 0, 1, StepState.RUNNING, 0)),
                entry(3, status(WorkflowState.COMPLETED, 1000, 2, StepState.COMPLETED, 0)),
                entry(2, status(WorkflowState.FAILED, 4000, 3, StepState.FAILED, 0)),
                entry(1, status(WorkflowState.CANCELLED, 2000, 1, StepState.CANCELLED, 0))));

        List<JobHistory.Bar> trend = history.getTrend();

        assertThat(trend)
                .extracting(JobHistory.Bar::label)
                .containsExactly("#1 volt: cancelled in 2 s", "#2 volt: failed in 4 s", "#3 volt: completed in 1 s");
        assertThat(trend).extracting(JobHistory.Bar::height).containsExactly(60, 120, 30);
        assertThat(trend).allSatisfy(bar -> assertThat(bar.y() + bar.height()).isEqualTo(JobHistory.TREND_HEIGHT));
        assertThat(trend.get(2).x() + trend.get(2).width()).isLessThanOrEqualTo(JobHistory.TREND_WIDTH);
        assertThat(history.getDescription()).doesNotContain("US$");
        assertThat(new JobHistory(List.of()).getTrend()).isEmpty();
    }

    @Test
    void aSummaryKeepsWhatTheCardShows() {
        WorkflowSummary summary = WorkflowSummary.of(status(WorkflowState.FAILED, 3000, 3, StepState.FAILED, 0));

        assertThat(summary.getState()).isEqualTo("failed");
        assertThat(summary.isFinished()).isTrue();
        assertThat(summary.getFailedSteps()).isEqualTo(1);
        assertThat(summary.getPercent()).isEqualTo(33);
        assertThat(new JobHistory(List.of()).getSuccessRate()).isZero();
    }
}
