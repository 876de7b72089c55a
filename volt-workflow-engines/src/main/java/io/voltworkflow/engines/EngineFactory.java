package io.voltworkflow.engines;

import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.NlpEngine;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.engines.anthropic.AnthropicChatModel;
import io.voltworkflow.engines.builtin.BuiltinOptions;
import io.voltworkflow.engines.builtin.CommandValidation;
import io.voltworkflow.engines.builtin.HeuristicAnalyzer;
import io.voltworkflow.engines.builtin.ScaffoldCodegen;
import io.voltworkflow.engines.chat.ChatEngine;
import io.voltworkflow.engines.chat.ChatModel;
import io.voltworkflow.engines.chat.ChatParameters;
import io.voltworkflow.engines.command.CommandEngine;
import io.voltworkflow.engines.command.CommandOptions;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.delivery.Forge;
import io.voltworkflow.engines.delivery.forges.ForgeKind;
import io.voltworkflow.engines.delivery.forges.Forges;
import io.voltworkflow.engines.http.HttpEndpoint;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.engines.http.HttpTransport;
import io.voltworkflow.engines.internal.EngineProbe;
import io.voltworkflow.engines.internal.PatchApplier;
import io.voltworkflow.engines.openai.OpenAiChatModel;
import io.voltworkflow.engines.volt.VoltEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Builds engines from configuration; what hosts (server, Jenkins plugin) call. One factory per host: its engines
 * share one HTTP connection pool, released by {@link #close()}.
 *
 * <pre>{@code
 * try (EngineFactory factory = EngineFactory.create()) {
 *   Engines engines = factory.engines(EnginesConfig.builtin(workspace));
 *   ...
 * }
 * }</pre>
 */
public final class EngineFactory implements AutoCloseable {
    private final HttpTransport transport;

    private EngineFactory(HttpTransport transport) {
        this.transport = transport;
    }

    public static EngineFactory create() {
        return new EngineFactory(HttpTransport.create());
    }

    /** A factory whose HTTP client the host adapts (Jenkins: its proxy settings); see {@link HttpTransport#create(UnaryOperator)}. */
    public static EngineFactory create(UnaryOperator<OkHttpClient> host) {
        return new EngineFactory(HttpTransport.create(host));
    }

    /**
     * The engines for every configured stage; task storage is left at {@code TaskStorage.NONE} for the host to set.
     * A chat code generator must apply its patches where the built-in validation runs, or validation would judge a
     * workspace without the generated code.
     */
    public Engines engines(EnginesConfig config) {
        EngineConfig codegen = config.codegen();
        EngineConfig validation = config.validation();
        if (codegen != null
                && codegen.kind().isChat()
                && validation != null
                && validation.kind() == EngineKind.BUILTIN
                && codegen.workspace() != null
                && !codegen.workspace().equals(validation.workspace())) {
            throw new IllegalArgumentException(
                    "codegen: 'workspace' " + codegen.workspace() + " is not the validation " + "workspace "
                            + validation.workspace() + "; generated patches must be applied where validation runs");
        }
        Engines.Builder builder = Engines.builder();
        if (config.nlp() != null) {
            builder.nlp(nlp(config.nlp()));
        }
        if (config.codegen() != null) {
            builder.codegen(codegen(config.codegen()));
        }
        if (config.validation() != null) {
            builder.validation(validation(config.validation()));
        }
        return builder.build();
    }

    public NlpEngine nlp(EngineConfig config) {
        return switch (config.kind()) {
            case BUILTIN -> new HeuristicAnalyzer();
            case VOLT -> volt(config);
            case COMMAND -> command(config);
            case OPENAI, AZURE_OPENAI, ANTHROPIC -> chat(config, null);
        };
    }

    /**
     * A code generator. Chat kinds need a {@code workspace}: a model's diff is only code once {@code git apply --check}
     * accepted it in the working tree validation runs in, so a chat generator without one is refused here rather than
     * completing with a patch nobody checked.
     */
    public CodegenEngine codegen(EngineConfig config) {
        return switch (config.kind()) {
            case BUILTIN -> new ScaffoldCodegen(builtin(config));
            case VOLT -> volt(config);
            case COMMAND -> command(config);
            case OPENAI, AZURE_OPENAI, ANTHROPIC -> {
                if (config.workspace() == null) {
                    throw new IllegalArgumentException(
                            "an engine of type " + config.kind().id() + " generating code needs "
                                    + "'workspace': the git working directory where validation runs, in which its patches are checked "
                                    + "(git apply --check) and applied");
                }
                yield chat(config, new PatchApplier(config.workspace()));
            }
        };
    }

    /**
     * A code generator for a host whose validation applies each patch itself, in a workspace this process cannot reach
     * (the Jenkins plugin: a validation command runs {@code git apply "$VOLT_PATCH_FILE"} on an agent). Chat kinds need
     * no {@code workspace} then: their diffs are checked for form and safe paths here, and one that does not apply
     * fails its validation. Other kinds are built as by {@link #codegen(EngineConfig)}.
     */
    public CodegenEngine codegenAppliedByValidation(EngineConfig config) {
        return config.kind().isChat() ? chat(config, PatchApplier.appliedByValidation()) : codegen(config);
    }

    public ValidationEngine validation(EngineConfig config) {
        return switch (config.kind()) {
            case BUILTIN -> new CommandValidation(builtin(config));
            case VOLT -> volt(config);
            case COMMAND -> command(config);
            case OPENAI, AZURE_OPENAI, ANTHROPIC ->
                throw new IllegalArgumentException(
                        "an engine of type " + config.kind().id()
                                + " cannot validate code; use builtin (runs the build and reads JUnit reports), volt or command");
        };
    }

    private VoltEngine volt(EngineConfig config) {
        return new VoltEngine(endpoint(config, Map.of()), HttpUrl.get(config.url()));
    }

    private CommandEngine command(EngineConfig config) {
        CommandOptions options = CommandOptions.builder(config.command())
                .directory(config.workspace())
                .environment(config.environment())
                .timeout(config.commandTimeout())
                .maxOutputBytes(config.http().maxResponseBytes())
                .build();
        return new CommandEngine("command " + config.command().get(0), options, config.credentials());
    }

    private ChatEngine chat(EngineConfig config, @Nullable PatchApplier workspace) {
        ChatParameters parameters = new ChatParameters(
                Objects.requireNonNull(config.model(), "model"),
                config.temperature(),
                config.maxOutputTokens(),
                config.seed(),
                config.structuredOutput(),
                config.stream(),
                config.pricing());
        HttpUrl url = HttpUrl.get(config.url());
        ChatModel model =
                switch (config.kind()) {
                    case OPENAI -> OpenAiChatModel.compatible(endpoint(config, Map.of()), url, parameters);
                    case AZURE_OPENAI ->
                        OpenAiChatModel.azure(endpoint(config, Map.of()), url, config.apiVersion(), parameters);
                    case ANTHROPIC ->
                        new AnthropicChatModel(
                                endpoint(config, Map.of("anthropic-version", AnthropicChatModel.API_VERSION)),
                                url,
                                parameters);
                    default -> throw new IllegalStateException("not a chat engine: " + config.kind());
                };
        return new ChatEngine(model, workspace);
    }

    private HttpEndpoint endpoint(EngineConfig config, Map<String, String> protocolHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(protocolHeaders);
        headers.putAll(config.headers());
        return transport.endpoint(
                config.kind().id() + " engine at "
                        + Objects.requireNonNull(config.url(), "url").getHost(),
                config.http(),
                config.credentials(),
                headers);
    }

    private static BuiltinOptions builtin(EngineConfig config) {
        return BuiltinOptions.builder(Objects.requireNonNull(config.workspace(), "workspace"))
                .validationCommand(config.validationCommand())
                .reportGlobs(config.reportGlobs())
                .validationTimeout(config.validationTimeout())
                .demonstrateRepair(config.demonstrateRepair())
                .build();
    }

    /**
     * Checks one configured engine with a single request that costs nothing (a model list, an unknown job), or none for
     * local programs and the built-in engines. Blocks for at most the engine's connect plus read timeout.
     */
    public EngineCheck check(EngineConfig config) {
        return EngineProbe.check(config, transport);
    }

    /**
     * The pull request adapter of forge {@code kind} for {@code repository}, calling {@code apiUrl} (the kind's public
     * API when null) on this factory's HTTP client, with the token from {@code credentials}.
     */
    public Forge forge(ForgeKind kind, String apiUrl, String repository, CredentialSource credentials) {
        return Forges.create(kind, apiUrl, repository, transport, HttpOptions.DEFAULTS, credentials);
    }

    @Override
    public void close() {
        transport.close();
    }
}
