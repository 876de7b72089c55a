package io.voltworkflow.engines.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
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
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.internal.InProcessCodegen;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.ProcessRunner;
import io.voltworkflow.engines.internal.Redactor;
import io.voltworkflow.engines.internal.Stages;
import io.voltworkflow.engines.volt.VoltWire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * An engine that is a local program (a coding-agent CLI, a script): one process per call. It gets the Volt
 * protocol's request on stdin as {@code {"protocol", "operation", "workflowId", "step", "attempt",
 * "idempotencyKey", "request"}}, stdin is then closed, and it prints the operation's result JSON on stdout.
 * Exit 0 is success; exit 75 (EX_TEMPFAIL) a retryable failure; exit 64/65 (EX_USAGE/EX_DATAERR) bad input; any
 * other code a failure; a {@code {"error": …}} object on stdout classifies a failure more precisely. Stderr lines
 * become progress. Secrets from the credential source reach the process only as {@code VOLT_ENGINE_TOKEN} and are
 * scrubbed from everything it prints.
 */
public final class CommandEngine extends InProcessCodegen implements NlpEngine, ValidationEngine {
    public static final String PROTOCOL = "volt-engine/1";
    public static final String TOKEN_VARIABLE = "VOLT_ENGINE_TOKEN";
    static final int EXIT_TEMPORARY_FAILURE = 75;
    static final int EXIT_USAGE = 64;
    static final int EXIT_DATA_ERROR = 65;

    private final String name;
    private final CommandOptions options;
    private final CredentialSource credentials;

    public CommandEngine(String name, CommandOptions options, CredentialSource credentials) {
        super(name);
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public CompletionStage<AnalysisResult> analyze(AnalysisRequest request, EngineContext context) {
        return invoke("analyze", request, context, VoltWire::analysis);
    }

    @Override
    public CompletionStage<TaskPlan> createTasks(TaskCreationRequest request, EngineContext context) {
        return invoke("create_tasks", request, context, VoltWire::taskPlan);
    }

    @Override
    protected CompletionStage<CodegenResult> generate(CodegenRequest request, EngineContext context) {
        return invoke("codegen", request, context, VoltWire::codegenResult);
    }

    @Override
    public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
        return invoke("validate", request, context, VoltWire::validation);
    }

    /** The same command, started in {@code checkout}; empty for a command that does not run in the workspace. */
    @Override
    public Optional<CompletionStage<ValidationResult>> validateCheckout(
            Path checkout, ValidationRequest request, EngineContext context) {
        if (options.directory() == null) {
            return Optional.empty();
        }
        CommandOptions there = new CommandOptions(
                options.command(), checkout, options.environment(), options.timeout(), options.maxOutputBytes());
        return Optional.of(new CommandEngine(name, there, credentials).validate(request, context));
    }

    private <T> CompletionStage<T> invoke(
            String operation, Object request, EngineContext context, BiFunction<JsonNode, String, T> read) {
        return Stages.guarded(() -> {
            BudgetGuard.checkBeforePaidCall(context, name);
            Map<String, String> environment = new HashMap<>(options.environment());
            Redactor redactor = Redactor.NONE;
            var credential = CredentialSource.resolve(credentials, name);
            if (!credential.secrets().isEmpty()) {
                environment.put(TOKEN_VARIABLE, credential.secrets().get(0).reveal());
                redactor = Redactor.of(credential.secrets());
            }
            context.recordProvenance("engine", name);
            context.recordProvenance("command", options.command().get(0));
            ProcessRunner.Spec spec = new ProcessRunner.Spec(
                    name,
                    options.command(),
                    options.directory(),
                    environment,
                    stdin(operation, request, context),
                    options.timeout(),
                    options.maxOutputBytes(),
                    null,
                    redactor);
            Redactor scrub = redactor;
            return ProcessRunner.run(spec, context).thenApply(outcome -> read.apply(result(outcome, scrub), name));
        });
    }

    private static byte[] stdin(String operation, Object request, EngineContext context) {
        ObjectNode envelope = Json.object()
                .put("protocol", PROTOCOL)
                .put("operation", operation)
                .put("workflowId", context.workflowId().value())
                .put("step", context.stepName())
                .put("attempt", context.attempt())
                .put("idempotencyKey", context.idempotencyKey());
        envelope.set("request", VoltWire.request(request, context));
        return Json.write(envelope).getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode result(ProcessRunner.Outcome outcome, Redactor redactor) {
        if (outcome.stdoutTruncated()) {
            throw new EngineException(StepError.recoverable(
                    StepError.INVALID_RESPONSE,
                    name + " printed more than " + options.maxOutputBytes() + " bytes on stdout (maxOutputBytes)"));
        }
        JsonNode json = Json.tryParse(redactor.scrub(outcome.stdout())).orElse(null);
        if (outcome.exitCode() != 0) {
            StepError error = VoltWire.error(json, name).orElseGet(() -> forExitCode(outcome, redactor));
            throw new EngineException(error);
        }
        if (json == null || !json.isObject()) {
            throw new EngineException(StepError.recoverable(
                    StepError.INVALID_RESPONSE,
                    name + " exited 0 but printed no JSON " + "object on stdout (began: '"
                            + redactor.excerpt(outcome.stdout(), 120) + "')"));
        }
        return json;
    }

    private StepError forExitCode(ProcessRunner.Outcome outcome, Redactor redactor) {
        String message = name + " exited with code " + outcome.exitCode()
                + (outcome.stderrTail().isEmpty() ? "" : ": " + redactor.excerpt(outcome.stderrExcerpt(), 600));
        return switch (outcome.exitCode()) {
            case EXIT_TEMPORARY_FAILURE -> StepError.retryable(StepError.ENGINE_UNAVAILABLE, message);
            case EXIT_USAGE, EXIT_DATA_ERROR -> StepError.recoverable(StepError.INVALID_INPUT, message);
            default -> StepError.recoverable(StepError.ENGINE_ERROR, message);
        };
    }
}
