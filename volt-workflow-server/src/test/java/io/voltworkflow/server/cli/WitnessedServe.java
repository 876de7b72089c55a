package io.voltworkflow.server.cli;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletionStage;

/**
 * {@code volt serve} with the configured engines (the built-in ones when nothing is configured), every engine call (the validation command's included) written to a
 * witness file with its workflow, step, idempotency key and attempt, and synced, before it runs: what a test counts
 * side effects by after killing the process at any point. The file is {@code VOLT_TEST_WITNESS}.
 */
public final class WitnessedServe {
    private WitnessedServe() {}

    public static void main(String[] args) {
        Witness witness = new Witness(Path.of(System.getenv("VOLT_TEST_WITNESS")));
        Main.run(args, () -> new WitnessedEngines(new ConfiguredEngines(), witness));
    }

    private record WitnessedEngines(EngineProvider builtin, Witness witness) implements EngineProvider {
        @Override
        public void bind(WorkflowOrchestrator orchestrator) {
            builtin.bind(orchestrator);
        }

        @Override
        public Engines engines(Setup setup) {
            Engines engines = builtin.engines(setup);
            NlpEngine nlp = engines.nlp().orElseThrow();
            CodegenEngine codegen = engines.codegen().orElseThrow();
            ValidationEngine validation = engines.validation().orElseThrow();
            return engines.toBuilder()
                    .nlp(new NlpEngine() {
                        @Override
                        public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
                            witness.record(context, "analyze");
                            return nlp.analyze(request, context);
                        }

                        @Override
                        public CompletionStage<TaskPlan> createTasks(
                                TaskCreationRequest request, EngineContext context) {
                            witness.record(context, "create-tasks");
                            return nlp.createTasks(request, context);
                        }
                    })
                    .codegen(new CodegenEngine() {
                        @Override
                        public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
                            witness.record(context, "codegen");
                            return codegen.submit(request, context);
                        }

                        @Override
                        public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
                            return codegen.poll(job, context);
                        }

                        @Override
                        public CompletionStage<Void> cancel(CodegenJob job, EngineContext context) {
                            return codegen.cancel(job, context);
                        }
                    })
                    .validation((request, context) -> {
                        witness.record(context, "validation-command");
                        return validation.validate(request, context);
                    })
                    .build();
        }

        @Override
        public void close() {
            builtin.close();
        }
    }

    /** One line per call, appended and synced: workflow, step, key, attempt and call, separated by tabs. */
    private static final class Witness {
        private final FileChannel file;

        Witness(Path path) {
            try {
                file = FileChannel.open(
                        path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void record(EngineContext context, String call) {
            String line = String.join(
                            "\t",
                            context.workflowId().value(),
                            context.stepName(),
                            context.idempotencyKey(),
                            String.valueOf(context.attempt()),
                            call)
                    + "\n";
            try {
                file.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                file.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
