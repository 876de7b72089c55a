package io.voltworkflow.engines.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.testing.Jobs;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.Processes;
import io.voltworkflow.engines.testing.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command engine with real processes ({@code sh -c}), on the context's virtual clock for timeouts. */
class CommandEngineTest {
    private static final String ANALYSIS = "{\"summary\":\"from the command\",\"requirements\":[\"r1\"]}";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path directory;

    private final EngineFactory factory = EngineFactory.create();

    @AfterEach
    void close() {
        factory.close();
    }

    private EngineConfig command(String script) {
        return EngineConfig.builder(EngineKind.COMMAND)
                .command(List.of("sh", "-c", script))
                .workspace(directory)
                .commandTimeout(TIMEOUT)
                .build();
    }

    private CompletionStage<AnalysisResult> analyze(String script, TestContext context) {
        NlpEngine engine = factory.nlp(command(script));
        return engine.analyze(new AnalysisRequest("Users log in", null), context);
    }

    @Test
    void requestGoesInOnStdin_resultComesOutOnStdout_stderrBecomesProgress() throws Exception {
        TestContext context = TestContext.step(StepType.ANALYSIS);

        AnalysisResult result = Outcomes.result(
                analyze("cat > request.json; echo 'reading the requirement' >&2; echo '" + ANALYSIS + "'", context));

        assertThat(result.summary()).isEqualTo("from the command");
        JsonNode request =
                Json.mapper().readTree(directory.resolve("request.json").toFile());
        assertThat(request.path("protocol").asText()).isEqualTo("volt-engine/1");
        assertThat(request.path("operation").asText()).isEqualTo("analyze");
        assertThat(request.path("idempotencyKey").asText()).isEqualTo(context.idempotencyKey());
        assertThat(request.path("request").path("requirementText").asText()).isEqualTo("Users log in");
        assertThat(context.progress).contains("command sh: reading the requirement");
    }

    @Test
    void aRetryCarriesThePreviousAttemptsErrorOnStdin() throws Exception {
        TestContext context = TestContext.step(StepType.ANALYSIS)
                .retryAfter(StepError.retryable(StepError.INVALID_TASK_PLAN, "task T1 depends on unknown task 'T9'"));

        Outcomes.result(analyze("cat > request.json; echo '" + ANALYSIS + "'", context));

        JsonNode request =
                Json.mapper().readTree(directory.resolve("request.json").toFile());
        assertThat(request.path("attempt").asInt()).isEqualTo(2);
        assertThat(request.path("request")
                        .path("previousAttemptError")
                        .path("code")
                        .asText())
                .isEqualTo("INVALID_TASK_PLAN");
        assertThat(request.path("request")
                        .path("previousAttemptError")
                        .path("message")
                        .asText())
                .contains("'T9'");
    }

    @Test
    void exit75_isARetryableFailure() {
        StepError error =
                Outcomes.failure(analyze("echo 'model busy' >&2; exit 75", TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.ENGINE_UNAVAILABLE);
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("exited with code 75").contains("model busy");
    }

    @Test
    void exit65_isBadInput() {
        StepError error = Outcomes.failure(analyze("exit 65", TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_INPUT);
        assertThat(error.retryable()).isFalse();
    }

    @Test
    void otherExitCodes_areEngineErrors() {
        StepError error = Outcomes.failure(analyze("exit 3", TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.ENGINE_ERROR);
        assertThat(error.retryable()).isFalse();
        assertThat(error.recoverable()).isTrue();
    }

    @Test
    void anErrorObjectOnStdout_classifiesTheFailure() {
        StepError error = Outcomes.failure(analyze(
                "echo '{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"slow down\",\"retryable\":true,\"retryAfterSeconds\":30}}'; exit 1",
                TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.RATE_LIMITED);
        assertThat(error.retryable()).isTrue();
        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void successWithoutJson_isAnInvalidResponse() {
        StepError error = Outcomes.failure(analyze("echo 'done!'", TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("no JSON").contains("done!");
    }

    @Test
    void oversizedOutput_isRefused() {
        EngineConfig config = EngineConfig.builder(EngineKind.COMMAND)
                .command(List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"))
                .http(io.voltworkflow.engines.http.HttpOptions.builder()
                        .maxResponseBytes(1000)
                        .build())
                .build();

        StepError error = Outcomes.failure(
                factory.nlp(config).analyze(new AnalysisRequest("r", null), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("more than 1000 bytes");
    }

    @Test
    void aMissingProgram_isAClearError() {
        EngineConfig config = EngineConfig.builder(EngineKind.COMMAND)
                .command(List.of("/nonexistent/volt-agent"))
                .build();

        StepError error = Outcomes.failure(
                factory.nlp(config).analyze(new AnalysisRequest("r", null), TestContext.step(StepType.ANALYSIS)));

        assertThat(error.code()).isEqualTo(StepError.ENGINE_ERROR);
        assertThat(error.message()).contains("cannot start").contains("/nonexistent/volt-agent");
    }

    @Test
    void timeout_killsTheWholeProcessTree() throws Exception {
        TestContext context = TestContext.step(StepType.ANALYSIS);
        CompletionStage<AnalysisResult> call =
                analyze("sleep 600 & echo $! > grandchild.pid; echo started >&2; wait", context);
        context.awaitProgress(line -> line.endsWith("started"));
        long grandchild =
                Long.parseLong(Processes.awaitFile(directory.resolve("grandchild.pid"), Duration.ofSeconds(30)));
        assertThat(Processes.isRunning(grandchild)).isTrue();

        context.clock.advance(TIMEOUT);

        StepError error = Outcomes.failure(call);
        assertThat(error.code()).isEqualTo(StepError.TIMEOUT);
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("process tree was killed");
        assertThat(Processes.awaitGone(grandchild, Duration.ofSeconds(30)))
                .as("grandchild %d killed", grandchild)
                .isTrue();
    }

    @Test
    void cancellation_killsTheWholeProcessTree() throws Exception {
        TestContext context = TestContext.step(StepType.ANALYSIS);
        CompletionStage<AnalysisResult> call =
                analyze("sh -c 'sleep 600 & echo $! > grandchild.pid; wait' & echo started >&2; wait", context);
        context.awaitProgress(line -> line.endsWith("started"));
        long grandchild =
                Long.parseLong(Processes.awaitFile(directory.resolve("grandchild.pid"), Duration.ofSeconds(30)));

        context.cancellation.cancel("workflow cancelled");

        StepError error = Outcomes.failure(call);
        assertThat(error.code()).isEqualTo(StepError.CANCELLED);
        assertThat(error.message()).contains("workflow cancelled");
        assertThat(Processes.awaitGone(grandchild, Duration.ofSeconds(30)))
                .as("great-grandchild %d killed", grandchild)
                .isTrue();
    }

    @Test
    void codegenRunsAsAJob() throws Exception {
        String result = "{\"summary\":\"wrote it\",\"patch\":\"--- /dev/null\\n+++ b/a.txt\\n@@ -0,0 +1 @@\\n+a\\n\","
                + "\"files\":[\"a.txt\"],\"generator\":\"my-cli\"}";
        CodegenEngine engine = factory.codegen(command("cat > request.json; printf '%s' '" + result + "'"));
        TaskSpec task = new TaskSpec("T1", "A", "", List.of(), List.of(), List.of());

        CodegenPoll poll =
                Jobs.run(engine, new CodegenRequest("req", null, null, task), TestContext.step(StepType.CODEGEN));

        assertThat(poll)
                .isInstanceOfSatisfying(
                        CodegenPoll.Succeeded.class,
                        done -> assertThat(done.result().generator()).isEqualTo("my-cli"));
        assertThat(Files.readString(directory.resolve("request.json"))).contains("\"operation\":\"codegen\"");
    }
}
