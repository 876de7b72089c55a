package io.voltworkflow.core.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A consistent picture of one workflow at {@code lastSequence}: the shape every host serves (docs/status-json.md).
 * {@code repair}: its tasks' validation and repair figures, as its metrics report them. {@code result} is the
 * completion step's output once the workflow completed.
 */
public record WorkflowStatus(
        WorkflowId workflowId,
        WorkflowState state,
        String requirement,
        JsonNode projectContext,
        Map<String, String> labels,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        long lastSequence,
        Progress progress,
        List<StepStatus> steps,
        List<Transition> history,
        @Nullable StepError error,
        Usage usage,
        RepairStats repair,
        @Nullable JsonNode result,
        @Nullable Damage damaged) {

    public WorkflowStatus {
        repair = repair == null ? RepairStats.NONE : repair;
        labels = Map.copyOf(labels);
        steps = List.copyOf(steps);
        history = List.copyOf(history);
    }

    /** A workflow whose store lost nothing and none of whose tasks finished validation. */
    public WorkflowStatus(
            WorkflowId workflowId,
            WorkflowState state,
            String requirement,
            JsonNode projectContext,
            Map<String, String> labels,
            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            long lastSequence,
            Progress progress,
            List<StepStatus> steps,
            List<Transition> history,
            @Nullable StepError error,
            Usage usage,
            @Nullable JsonNode result) {
        this(
                workflowId,
                state,
                requirement,
                projectContext,
                labels,
                createdAt,
                startedAt,
                finishedAt,
                lastSequence,
                progress,
                steps,
                history,
                error,
                usage,
                RepairStats.NONE,
                result,
                null);
    }

    /**
     * The store lost some of this workflow's events (damaged storage): their numbers stay used and its event history
     * shows a {@code history_lost} record for each range. {@code acknowledged} once an operator has seen it.
     */
    public record Damage(List<io.voltworkflow.core.store.DamageReport.LostRange> lost, boolean acknowledged) {
        public Damage {
            lost = List.copyOf(lost);
        }
    }

    public Optional<StepStatus> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Whether a resume is accepted: the workflow is paused, or failed (a resume re-runs the steps that did not
     * complete). In the status JSON as {@code resumable}; a host that cannot resume it (a Jenkins build that has
     * ended) serves {@code false} there, so pages offer Resume only where it works.
     */
    @JsonProperty("resumable")
    public boolean resumable() {
        return state == WorkflowState.PAUSED || state == WorkflowState.FAILED;
    }

    /** Steps that are running right now. */
    public long runningSteps() {
        return steps.stream()
                .filter(s -> s.state() == io.voltworkflow.core.model.StepState.RUNNING)
                .count();
    }
}
