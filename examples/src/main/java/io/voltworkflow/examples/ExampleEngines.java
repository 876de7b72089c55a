package io.voltworkflow.examples;

import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.TaskSpec;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Engines of the examples' own, to show the engine SPI: analysis splits the requirement at " and " / commas into
 * tasks, code generation returns a one-file patch per task, validation passes unless a {@link ValidationEngine} is
 * given instead.
 */
public final class ExampleEngines {
    private ExampleEngines() {}

    public static Engines create() {
        return with(ExampleEngines::passingValidation);
    }

    public static Engines with(ValidationEngine validation) {
        return Engines.builder()
                .nlp(new SplittingAnalysis())
                .codegen(new OneFileCodegen())
                .validation(validation)
                .build();
    }

    private static CompletionStage<ValidationResult> passingValidation(
            ValidationRequest request, EngineContext context) {
        return CompletableFuture.completedFuture(new ValidationResult(
                true, 1, 0, 0, 0, "1 test passed for " + request.task().id(), List.of(), null));
    }

    /** The spec's {@code myNLPEngine}. */
    private static final class SplittingAnalysis implements NlpEngine {
        @Override
        public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
            List<String> parts = Arrays.stream(request.requirementText().split(",| and "))
                    .map(String::strip)
                    .filter(part -> !part.isEmpty())
                    .toList();
            return CompletableFuture.completedFuture(new AnalysisResult(
                    parts.size() + " parts", parts, List.of(), parts.size() > 2 ? "medium" : "low", null));
        }

        @Override
        public CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context) {
            AnalysisResult analysis = request.analysis();
            // Without an analysis step, the requirement is the one part.
            List<String> parts = analysis == null ? List.of(request.requirementText()) : analysis.requirements();
            List<TaskSpec> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                tasks.add(new TaskSpec(
                        "T" + (i + 1), parts.get(i), "", List.of(), List.of("a test shows it works"), List.of()));
            }
            return CompletableFuture.completedFuture(new TaskPlan(tasks));
        }
    }

    /** The spec's {@code myCodegenClient}: finishes at the first poll. */
    private static final class OneFileCodegen implements CodegenEngine {
        @Override
        public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
            return CompletableFuture.completedFuture(new CodegenJob(context.idempotencyKey(), "example"));
        }

        @Override
        public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
            String file = "src/" + context.stepName().replaceAll("[^A-Za-z0-9]", "") + ".txt";
            return CompletableFuture.completedFuture(new CodegenPoll.Succeeded(new CodegenResult(
                    "wrote " + file,
                    "--- /dev/null\n+++ b/" + file + "\n@@ -0,0 +1 @@\n+done\n",
                    List.of(file),
                    null,
                    "example",
                    null)));
        }

        @Override
        public CompletionStage<Void> cancel(CodegenJob job, EngineContext context) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
