package io.voltworkflow.core.engine;

import java.util.concurrent.CompletionStage;

/** Requirement analysis and breakdown into atomic tasks. */
public interface NlpEngine {
    CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context);

    CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context);
}
