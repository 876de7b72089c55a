package io.voltworkflow.engines.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.testing.Git;
import io.voltworkflow.engines.testing.Jobs;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Code generation with a chat model runs as an in-process job; cancelling the job aborts its HTTP call. */
class ChatCodegenCancellationTest {
    private final TaskSpec task = new TaskSpec("T1", "A", "", List.of(), List.of(), List.of());
    private MockWebServer server;
    private EngineFactory factory;
    private CodegenEngine engine;

    @BeforeEach
    void start(@TempDir Path workspace) throws Exception {
        Git.init(workspace);
        server = new MockWebServer();
        server.start();
        factory = EngineFactory.create();
        engine = factory.codegen(EngineConfig.builder(EngineKind.OPENAI)
                .url(server.url("/v1").toString())
                .model("m")
                .workspace(workspace)
                .build());
    }

    @AfterEach
    void stop() {
        factory.close();
        server.close();
    }

    @Test
    void cancellingTheJobAbortsTheCallInFlight() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        TestContext context = TestContext.step(StepType.CODEGEN);
        CodegenJob job = Outcomes.result(engine.submit(new CodegenRequest("r", null, null, task), context));
        server.takeRequest(30, TimeUnit.SECONDS);

        assertThat(Outcomes.result(engine.poll(job, context))).isInstanceOf(CodegenPoll.Running.class);
        Outcomes.result(engine.cancel(job, context));

        assertThat(Outcomes.result(engine.poll(job, context)))
                .isInstanceOfSatisfying(
                        CodegenPoll.Failed.class,
                        failed -> assertThat(failed.error().code()).isEqualTo(StepError.JOB_NOT_FOUND));
    }

    @Test
    void cancellingTheStepAbortsTheJobsCall() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        TestContext context = TestContext.step(StepType.CODEGEN);
        CodegenJob job = Outcomes.result(engine.submit(new CodegenRequest("r", null, null, task), context));
        server.takeRequest(30, TimeUnit.SECONDS);

        context.cancellation.cancel("workflow cancelled");

        assertThat(Jobs.awaitOutcome(engine, job, context))
                .isInstanceOfSatisfying(
                        CodegenPoll.Failed.class,
                        failed -> assertThat(failed.error().code()).isEqualTo(StepError.CANCELLED));
    }

    @Test
    void aDuplicateSubmissionJoinsTheRunningJob() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        TestContext context = TestContext.step(StepType.CODEGEN);
        CodegenRequest request = new CodegenRequest("r", null, null, task);

        CodegenJob first = Outcomes.result(engine.submit(request, context));
        server.takeRequest(30, TimeUnit.SECONDS);
        CodegenJob second = Outcomes.result(engine.submit(request, context));

        assertThat(second).isEqualTo(first);
        assertThat(server.getRequestCount()).isEqualTo(1);
        Outcomes.result(engine.cancel(first, context));
    }
}
