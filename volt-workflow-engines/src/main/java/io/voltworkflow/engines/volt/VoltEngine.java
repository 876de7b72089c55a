package io.voltworkflow.engines.volt;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.budget.BudgetGuard;
import io.voltworkflow.engines.http.HttpEndpoint;
import io.voltworkflow.engines.http.HttpReply;
import io.voltworkflow.engines.http.HttpStatusException;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.Stages;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * A client of the Volt engine protocol over HTTP (docs/engine-protocol.md): one remote service that analyses,
 * creates tasks, generates code as a job (submit, poll, cancel) and validates. Every request carries the step's
 * {@code Idempotency-Key}, so a re-issued request is answered from the engine's record instead of redone.
 */
public final class VoltEngine implements NlpEngine, CodegenEngine, ValidationEngine {
    public static final String ENGINE = "volt";
    private static final Duration DEFAULT_POLL = Duration.ofSeconds(2);

    private final HttpEndpoint endpoint;
    private final HttpUrl baseUrl;

    /** {@code baseUrl} is the engine's root; the protocol's paths start with {@code /v1/}. */
    public VoltEngine(HttpEndpoint endpoint, HttpUrl baseUrl) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    @Override
    public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
        return paid("analyze", "v1/analyze", request, context, body -> VoltWire.analysis(body, endpoint.engine()));
    }

    @Override
    public CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context) {
        return paid("create_tasks", "v1/tasks", request, context, body -> VoltWire.taskPlan(body, endpoint.engine()));
    }

    @Override
    public CompletionStage<CodegenJob> submit(CodegenRequest request, EngineContext context) {
        return paid("codegen_submit", "v1/codegen/jobs", request, context, body -> {
            String jobId = Json.text(body, "jobId");
            if (jobId == null || jobId.isBlank()) {
                throw VoltWire.invalid(endpoint.engine() + " accepted the code generation job without a 'jobId'");
            }
            context.recordProvenance("job_id", jobId);
            return new CodegenJob(jobId, ENGINE);
        });
    }

    @Override
    public CompletionStage<CodegenPoll> poll(CodegenJob job, EngineContext context) {
        return Stages.guarded(() -> call("codegen_poll", "GET", jobUrl(job), null, context)
                .thenApply(reply -> pollResult(reply.body()))
                .exceptionally(failure -> {
                    if (Stages.unwrap(failure) instanceof HttpStatusException status && status.status() == 404) {
                        return new CodegenPoll.Failed(StepError.retryable(
                                StepError.JOB_NOT_FOUND,
                                endpoint.engine() + " does not know job '" + job.jobId()
                                        + "' (it may have been lost); submit it again"));
                    }
                    throw new EngineException(Stages.errorOf(failure), Stages.unwrap(failure));
                }));
    }

    @Override
    public CompletionStage<Void> cancel(CodegenJob job, EngineContext context) {
        return Stages.guarded(() -> call("codegen_cancel", "DELETE", jobUrl(job), null, context)
                .<Void>thenApply(reply -> null)
                .exceptionally(failure -> {
                    if (Stages.unwrap(failure) instanceof HttpStatusException status && status.status() == 404) {
                        return null; // already gone: cancelling is done
                    }
                    throw new EngineException(Stages.errorOf(failure), Stages.unwrap(failure));
                }));
    }

    @Override
    public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
        return paid("validate", "v1/validate", request, context, body -> VoltWire.validation(body, endpoint.engine()));
    }

    private CodegenPoll pollResult(JsonNode body) {
        String status = body.path("status").asText("");
        return switch (status) {
            case "running", "queued" ->
                new CodegenPoll.Running(
                        body.path("message").asText(status),
                        body.path("pollAfterSeconds").isNumber()
                                ? Duration.ofMillis(
                                        (long) (body.get("pollAfterSeconds").asDouble() * 1000))
                                : DEFAULT_POLL);
            case "succeeded" ->
                new CodegenPoll.Succeeded(VoltWire.codegenResult(body.path("result"), endpoint.engine()));
            case "failed", "cancelled" ->
                new CodegenPoll.Failed(VoltWire.error(body, endpoint.engine())
                        .orElseGet(() -> StepError.recoverable(
                                StepError.ENGINE_ERROR,
                                endpoint.engine() + " reports the job " + status + " without an error")));
            default ->
                throw VoltWire.invalid(endpoint.engine() + " reported unknown job status '" + status
                        + "'; expected queued, running, succeeded, failed or cancelled");
        };
    }

    private <T> CompletionStage<T> paid(
            String operation, String path, Object request, EngineContext context, Function<JsonNode, T> read) {
        return Stages.guarded(() -> {
            BudgetGuard.checkBeforePaidCall(context, endpoint.engine());
            return call(
                            operation,
                            "POST",
                            baseUrl.newBuilder().addPathSegments(path).build(),
                            VoltWire.request(request, context),
                            context)
                    .thenApply(reply -> read.apply(reply.body()));
        });
    }

    private CompletionStage<HttpReply> call(
            String operation, String method, HttpUrl url, @Nullable JsonNode body, EngineContext context) {
        context.recordProvenance("engine", endpoint.engine());
        Map<String, String> headers = Map.of(
                "X-Volt-Workflow-Id", context.workflowId().value(),
                "X-Volt-Step", context.stepName(),
                "X-Volt-Attempt", Integer.toString(context.attempt()));
        return endpoint.send(operation, method, url, body, context, headers);
    }

    private HttpUrl jobUrl(CodegenJob job) {
        return baseUrl.newBuilder()
                .addPathSegments("v1/codegen/jobs")
                .addPathSegment(job.jobId())
                .build();
    }
}
