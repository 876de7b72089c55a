package io.voltworkflow.core.internal;

import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.status.Progress;
import io.voltworkflow.core.status.RepairStats;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowMetrics;
import io.voltworkflow.core.status.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable views of a workflow's state, built under the lock. */
final class StatusViews {
    private StatusViews() {}

    static WorkflowStatus status(WorkflowRuntime w, Instant now, RetryPolicy defaultPolicy) {
        List<StepStatus> steps = new ArrayList<>(w.steps.size());
        for (StepRuntime s : w.steps) {
            Long duration = s.durationMs;
            if (s.state == StepState.RUNNING && s.startedAt != null) {
                duration = Math.max(0, Duration.between(s.startedAt, now).toMillis());
            }
            RetryPolicy policy = s.definition.retryPolicy() != null ? s.definition.retryPolicy() : defaultPolicy;
            boolean taskStep = s.definition.type() == StepType.CODEGEN || s.definition.type() == StepType.VALIDATION;
            steps.add(new StepStatus(
                    s.name(),
                    s.definition.type().id(),
                    s.state,
                    s.definition.dependencies(),
                    s.attempts,
                    policy.maxAttempts(),
                    s.attemptKey(),
                    s.startedAt,
                    s.finishedAt,
                    duration,
                    s.progressMessage,
                    s.error,
                    s.output,
                    s.usage,
                    s.provenance,
                    s.repairRound,
                    taskStep ? w.options.repair().maxRounds() : 0,
                    s.repair == null ? null : s.repair.failure()));
        }
        int total = w.steps.size();
        double percent = total == 0 ? 0 : Math.round(1000.0 * w.completedSteps / total) / 10.0;
        return new WorkflowStatus(
                w.id,
                w.state,
                w.requirement(),
                w.projectContext(),
                w.options.labels(),
                w.createdAt(),
                w.startedAt,
                w.finishedAt,
                w.lastSequence,
                new Progress(w.completedSteps, total, percent, w.progressMessage),
                steps,
                List.copyOf(w.history),
                w.error,
                w.usage,
                repair(w),
                w.result,
                w.damage == null ? null : new WorkflowStatus.Damage(w.damage.lost(), w.damage.acknowledged()));
    }

    static WorkflowMetrics metrics(WorkflowRuntime w, Instant now) {
        int failed = 0;
        Map<String, Long> durations = new LinkedHashMap<>();
        for (StepRuntime s : w.steps) {
            if (s.state == StepState.FAILED) {
                failed++;
            }
            if (s.durationMs != null && s.state == StepState.COMPLETED) {
                durations.put(s.name(), s.durationMs);
            }
        }
        long elapsed = w.startedAt == null
                ? 0
                : Math.max(
                        0,
                        Duration.between(w.startedAt, w.finishedAt != null ? w.finishedAt : now)
                                .toMillis());
        int total = w.steps.size();
        double percent = total == 0 ? 0 : Math.round(1000.0 * w.completedSteps / total) / 10.0;
        return new WorkflowMetrics(
                w.id,
                w.state,
                percent,
                elapsed,
                w.completedSteps,
                w.runningSteps,
                failed,
                total,
                w.retries,
                repair(w),
                w.lastSequence,
                durations,
                w.usage);
    }

    /** Per task, from its validation step: a step in its first pass that finished passed first time. */
    static RepairStats repair(WorkflowRuntime w) {
        long validated = 0, firstTime = 0, repaired = 0, afterRepair = 0;
        for (StepRuntime s : w.steps) {
            if (s.definition.type() != StepType.VALIDATION) {
                continue;
            }
            boolean passed = s.state == StepState.COMPLETED;
            if (s.repairRound > 0) {
                validated++;
                repaired++;
                afterRepair += passed ? 1 : 0;
            } else if (passed || s.state == StepState.FAILED) {
                validated++;
                firstTime += passed ? 1 : 0;
            }
        }
        return RepairStats.of(validated, firstTime, repaired, afterRepair, w.repairRounds, w.repairUsage);
    }
}
