package io.voltworkflow.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything that happens to a workflow. Events are the source of truth: the store appends them, a workflow's
 * state is the fold of its events, and subscribers receive the same records.
 */
public sealed interface WorkflowEvent {
    EventType type();

    /** The step concerned, or {@code null} for workflow-level events. */
    default @Nullable String step() {
        return null;
    }

    /** Events that change a step. */
    sealed interface StepEvent extends WorkflowEvent {
        @Override
        String step();
    }

    record WorkflowCreated(WorkflowDefinition definition) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.WORKFLOW_CREATED;
        }
    }

    /**
     * Not an event the workflow produced: the store's statement that its events {@code fromSequence} through this
     * record's sequence are lost (damaged storage). The numbers stay used: later events never take them. When
     * {@code certain} is false, the events may or may not have existed: the numbers were set aside so that none could be
     * reused for different content.
     */
    record HistoryLost(long fromSequence, long toSequence, boolean certain, String reason) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.HISTORY_LOST;
        }
    }

    record WorkflowInitialized(String reason) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.WORKFLOW_INITIALIZED;
        }
    }

    record WorkflowStarted(String reason) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.WORKFLOW_STARTED;
        }
    }

    record WorkflowProgress(int completedSteps, int totalSteps, String message) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.WORKFLOW_PROGRESS;
        }

        public double percent() {
            return totalSteps == 0 ? 0 : Math.round(1000.0 * completedSteps / totalSteps) / 10.0;
        }
    }

    record WorkflowPaused(String reason) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.WORKFLOW_PAUSED;
        }
    }

    /** {@code rerunSteps}: failed or cancelled steps put back to pending (resuming a failed workflow). */
    record WorkflowResumed(String reason, List<String> rerunSteps) implements WorkflowEvent {
        public WorkflowResumed {
            rerunSteps = List.copyOf(rerunSteps == null ? List.of() : rerunSteps);
        }

        @Override
        public EventType type() {
            return EventType.WORKFLOW_RESUMED;
        }
    }

    record WorkflowCompleted(JsonNode result) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.WORKFLOW_COMPLETED;
        }
    }

    /** {@code failedStep} is {@code null} when the workflow itself failed (deadline, budget). */
    record WorkflowFailed(StepError error, @Nullable String failedStep) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.WORKFLOW_FAILED;
        }
    }

    record WorkflowCancelled(String reason) implements WorkflowEvent {
        @Override
        public EventType type() {
            return EventType.WORKFLOW_CANCELLED;
        }
    }

    /**
     * The graph grew when {@code step} (task creation) produced tasks: {@code addedSteps} are new, and each entry
     * of {@code addedDependencies} adds dependencies to an existing step (completion waits for every validation).
     */
    record WorkflowExpanded(String step, List<StepDefinition> addedSteps, Map<String, List<String>> addedDependencies)
            implements StepEvent {
        public WorkflowExpanded {
            addedSteps = List.copyOf(addedSteps == null ? List.of() : addedSteps);
            addedDependencies = Map.copyOf(addedDependencies == null ? Map.of() : addedDependencies);
        }

        @Override
        public EventType type() {
            return EventType.WORKFLOW_EXPANDED;
        }
    }

    /** {@code reissued}: the step was running when the process stopped and is issued again with the same key. */
    record StepStarted(String step, int attempt, String idempotencyKey, boolean reissued) implements StepEvent {
        @Override
        public EventType type() {
            return EventType.STEP_STARTED;
        }
    }

    record StepProgress(String step, String message) implements StepEvent {
        @Override
        public EventType type() {
            return EventType.STEP_PROGRESS;
        }
    }

    /** A {@code null} checkpoint clears the step's last one. */
    record StepCheckpointed(String step, @Nullable JsonNode checkpoint) implements StepEvent {
        @Override
        public EventType type() {
            return EventType.STEP_CHECKPOINTED;
        }
    }

    record StepCompleted(
            String step, int attempt, long durationMs, JsonNode output, Usage usage, Map<String, String> provenance)
            implements StepEvent {
        public StepCompleted {
            output =
                    output == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : output;
            usage = usage == null ? Usage.NONE : usage;
            provenance = Map.copyOf(provenance == null ? Map.of() : provenance);
        }

        @Override
        public EventType type() {
            return EventType.STEP_COMPLETED;
        }
    }

    record StepRetrying(
            String step, int attempt, long durationMs, StepError error, long delayMs, Instant retryAt, Usage usage)
            implements StepEvent {
        public StepRetrying {
            usage = usage == null ? Usage.NONE : usage;
        }

        @Override
        public EventType type() {
            return EventType.STEP_RETRYING;
        }
    }

    /**
     * {@code provenance}: what the engine recorded before the attempt failed (which engine and command ran), so a
     * failed step still says who failed it; empty in events written before it was kept.
     */
    record StepFailed(
            String step, int attempt, long durationMs, StepError error, Usage usage, Map<String, String> provenance)
            implements StepEvent {
        public StepFailed {
            usage = usage == null ? Usage.NONE : usage;
            provenance = Map.copyOf(provenance == null ? Map.of() : provenance);
        }

        public StepFailed(String step, int attempt, long durationMs, StepError error, Usage usage) {
            this(step, attempt, durationMs, error, usage, Map.of());
        }

        @Override
        public EventType type() {
            return EventType.STEP_FAILED;
        }
    }

    record StepCancelled(String step, String reason) implements StepEvent {
        @Override
        public EventType type() {
            return EventType.STEP_CANCELLED;
        }
    }

    /**
     * A task's validation failed and the task goes back to code generation: {@code step} (its code generation step)
     * and {@code validationStep} are pending again, and the code generation request of this round carries
     * {@code failure} as feedback. {@code round} counts from 1 up to {@code maxRounds}, the workflow's
     * {@link io.voltworkflow.core.model.RepairPolicy#maxRounds()}.
     */
    record RepairRoundStarted(String step, String validationStep, int round, int maxRounds, StepError failure)
            implements StepEvent {
        @Override
        public EventType type() {
            return EventType.REPAIR_ROUND_STARTED;
        }
    }
}
