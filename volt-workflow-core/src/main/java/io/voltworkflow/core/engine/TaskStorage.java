package io.voltworkflow.core.engine;

import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.core.model.WorkflowId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where created tasks are recorded outside the workflow (an issue tracker, a task database). */
public interface TaskStorage {
    TaskStorage NONE = new TaskStorage() {
        @Override
        public CompletionStage<Void> saveTasks(WorkflowId workflowId, List<TaskSpec> tasks, EngineContext context) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> recordOutcome(WorkflowId workflowId, TaskOutcome outcome, EngineContext context) {
            return CompletableFuture.completedFuture(null);
        }
    };

    CompletionStage<Void> saveTasks(WorkflowId workflowId, List<TaskSpec> tasks, EngineContext context);

    CompletionStage<Void> recordOutcome(WorkflowId workflowId, TaskOutcome outcome, EngineContext context);

    /** The final word on one task, recorded by the completion step. */
    record TaskOutcome(String taskId, boolean codeGenerated, boolean validated, String reference) {}
}
