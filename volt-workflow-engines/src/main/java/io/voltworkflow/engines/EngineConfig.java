package io.voltworkflow.engines;

import io.voltworkflow.engines.budget.Pricing;
import io.voltworkflow.engines.chat.ChatParameters;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.http.HttpOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How to reach one engine, as a host reads it from its configuration (server config file, Jenkins form). Secrets
 * are never part of it: {@code credentials} is a source the host implements (Jenkins Credentials plugin, server
 * config or environment) and is asked on each call. {@link Builder#build()} checks what the kind needs and names
 * the first problem.
 *
 * <ul>
 *   <li>{@code builtin}: {@code workspace}; optional {@code validationCommand}, {@code reportGlobs}, {@code validationTimeout},
 *       {@code demonstrateRepair} (code generation: a first pass that the CLI workspace's scaffold check rejects).</li>
 *   <li>{@code volt}: {@code url} (the engine's root).</li>
 *   <li>{@code openai}: {@code model}; {@code url} defaults to {@code https://api.openai.com/v1} (Ollama:
 *       {@code http://localhost:11434/v1}, vLLM {@code http://host:8000/v1}, LiteLLM {@code http://host:4000/v1}).</li>
 *   <li>{@code azure-openai}: {@code url} ({@code https://NAME.openai.azure.com}), {@code model} (the deployment),
 *       {@code apiVersion}; the credential is typically an {@code api-key} header.</li>
 *   <li>{@code anthropic}: {@code model}; {@code url} defaults to {@code https://api.anthropic.com}; the credential is
 *       typically an {@code x-api-key} header.</li>
 *   <li>{@code command}: {@code command}; optional {@code environment}, {@code commandTimeout}, {@code workspace} (its
 *       working directory).</li>
 * </ul>
 * Chat kinds generating code need a {@code workspace}: their patches are checked and applied there.
 */
public record EngineConfig(
        EngineKind kind,
        @Nullable URI url,
        @Nullable String model,
        CredentialSource credentials,
        HttpOptions http,
        Map<String, String> headers,
        @Nullable Double temperature,
        @Nullable Integer maxOutputTokens,
        @Nullable Long seed,
        boolean structuredOutput,
        boolean stream,
        String apiVersion,
        Pricing pricing,
        List<String> command,
        Map<String, String> environment,
        Duration commandTimeout,
        @Nullable Path workspace,
        List<String> validationCommand,
        List<String> reportGlobs,
        Duration validationTimeout,
        boolean demonstrateRepair) {

    public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
    public static final String DEFAULT_OPENAI_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_ANTHROPIC_URL = "https://api.anthropic.com";
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> CREDENTIAL_HEADERS =
            Set.of("authorization", "proxy-authorization", "x-api-key", "api-key", "cookie");

    /** Checks what {@code kind} needs, so a configuration built without the builder is held to the same rules. */
    public EngineConfig {
        Problems problems = new Problems(Objects.requireNonNull(kind, "kind"));
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(pricing, "pricing");
        headers = Map.copyOf(headers);
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        validationCommand = List.copyOf(validationCommand);
        reportGlobs = List.copyOf(reportGlobs);
        workspace = workspace == null ? null : workspace.toAbsolutePath().normalize();
        problems.checkUrl(url);
        if (kind.isChat()) {
            String chatModel = problems.require(model, "model");
            try {
                new ChatParameters(chatModel, temperature, maxOutputTokens, seed, structuredOutput, stream, pricing);
            } catch (IllegalArgumentException e) {
                throw problems.problem("is misconfigured: " + e.getMessage());
            }
        }
        if (kind == EngineKind.AZURE_OPENAI) {
            problems.require(apiVersion, "apiVersion");
        }
        if (kind == EngineKind.COMMAND && (command.isEmpty() || command.get(0).isBlank())) {
            throw problems.problem("needs 'command': the program to run and its arguments");
        }
        if (kind == EngineKind.BUILTIN && workspace == null) {
            throw problems.problem("needs 'workspace': the git working directory to generate code in and validate");
        }
        if (demonstrateRepair && kind != EngineKind.BUILTIN) {
            throw problems.problem("sets 'demonstrateRepair', which only the builtin code generator has");
        }
        headers.forEach(problems::checkHeader);
        problems.requirePositive(commandTimeout, "commandTimeout");
        problems.requirePositive(validationTimeout, "validationTimeout");
    }

    public static Builder builder(EngineKind kind) {
        return new Builder(kind);
    }

    /** Shows what is configured, never a credential. */
    @Override
    public String toString() {
        return "EngineConfig[" + kind.id() + (url == null ? "" : ", url=" + url)
                + (model == null ? "" : ", model=" + model)
                + (headers.isEmpty() ? "" : ", headers=" + headers.keySet())
                + (command.isEmpty() ? "" : ", command=" + command.get(0))
                + (workspace == null ? "" : ", workspace=" + workspace)
                + (credentials == CredentialSource.NONE ? "" : ", credentials=configured") + "]";
    }

    public static final class Builder {
        private final EngineKind kind;
        private @Nullable String url;
        private @Nullable String model;
        private CredentialSource credentials = CredentialSource.NONE;
        private HttpOptions http = HttpOptions.DEFAULTS;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private @Nullable Double temperature;
        private @Nullable Integer maxOutputTokens;
        private @Nullable Long seed;
        private boolean structuredOutput = true;
        private boolean stream = true;
        private String apiVersion = DEFAULT_AZURE_API_VERSION;
        private Pricing pricing = Pricing.FREE;
        private List<String> command = List.of();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration commandTimeout = Duration.ofMinutes(30);
        private @Nullable Path workspace;
        private List<String> validationCommand = List.of();
        private List<String> reportGlobs = io.voltworkflow.engines.builtin.BuiltinOptions.DEFAULT_REPORT_GLOBS;
        private Duration validationTimeout = Duration.ofMinutes(30);
        private boolean demonstrateRepair;

        private Builder(EngineKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public Builder url(@Nullable String url) {
            this.url = url;
            return this;
        }

        public Builder model(@Nullable String model) {
            this.model = model;
            return this;
        }

        public Builder credentials(CredentialSource credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        public Builder http(HttpOptions http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /** A header sent with every request; never a credential (use {@link #credentials}). */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder temperature(@Nullable Double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder maxOutputTokens(@Nullable Integer maxOutputTokens) {
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        public Builder seed(@Nullable Long seed) {
            this.seed = seed;
            return this;
        }

        /** Off for servers that reject {@code response_format}/{@code output_config}; answers are validated anyway. */
        /** Streams chat answers as server-sent events (default), for progress while they are generated. */
        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        public Builder structuredOutput(boolean structuredOutput) {
            this.structuredOutput = structuredOutput;
            return this;
        }

        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        public Builder pricing(Pricing pricing) {
            this.pricing = Objects.requireNonNull(pricing, "pricing");
            return this;
        }

        public Builder command(List<String> command) {
            this.command = command;
            return this;
        }

        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        public Builder workspace(@Nullable Path workspace) {
            this.workspace = workspace;
            return this;
        }

        public Builder validationCommand(List<String> validationCommand) {
            this.validationCommand = validationCommand;
            return this;
        }

        public Builder reportGlobs(List<String> reportGlobs) {
            this.reportGlobs = reportGlobs;
            return this;
        }

        public Builder validationTimeout(Duration validationTimeout) {
            this.validationTimeout = validationTimeout;
            return this;
        }

        /**
         * Built-in code generation only: first scaffolds that name their dependencies as plain ids, so the scaffold
         * check of a workspace the CLI creates sends each task with dependencies through one repair round.
         */
        public Builder demonstrateRepair(boolean demonstrateRepair) {
            this.demonstrateRepair = demonstrateRepair;
            return this;
        }

        /** The configuration, or an {@link IllegalArgumentException} naming the first problem. */
        public EngineConfig build() {
            String effectiveUrl = url != null
                    ? url
                    : kind == EngineKind.OPENAI
                            ? DEFAULT_OPENAI_URL
                            : kind == EngineKind.ANTHROPIC ? DEFAULT_ANTHROPIC_URL : null;
            URI uri;
            try {
                uri = effectiveUrl == null ? null : URI.create(effectiveUrl.strip());
            } catch (IllegalArgumentException e) {
                throw new Problems(kind).problem("has url '" + effectiveUrl + "' that is not a URL: " + e.getMessage());
            }
            return new EngineConfig(
                    kind,
                    uri,
                    model,
                    credentials,
                    http,
                    headers,
                    temperature,
                    maxOutputTokens,
                    seed,
                    structuredOutput,
                    stream,
                    apiVersion,
                    pricing,
                    command,
                    environment,
                    commandTimeout,
                    workspace,
                    validationCommand,
                    reportGlobs,
                    validationTimeout,
                    demonstrateRepair);
        }
    }

    /** Names configuration problems after the engine kind, e.g. "engine of type volt needs 'url'". */
    private record Problems(EngineKind kind) {
        void checkUrl(@Nullable URI url) {
            if (url == null) {
                if (kind != EngineKind.BUILTIN && kind != EngineKind.COMMAND) {
                    throw problem("needs 'url'");
                }
                return;
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || url.getHost() == null) {
                throw problem("has url '" + url + "'; it must be an http:// or https:// URL with a host");
            }
            if (url.getPort() == -1
                    && url.getRawAuthority() != null
                    && url.getRawAuthority().endsWith(":")) {
                throw problem("has url '" + url + "' with an empty port; give the port or leave out the ':'");
            }
            if (url.getUserInfo() != null) {
                throw problem("has a user name or password in its url; give them as credentials instead");
            }
            if (url.getQuery() != null || url.getFragment() != null) {
                throw problem("has a query or fragment in its url '" + url.getScheme() + "://" + url.getHost()
                        + url.getPath() + "?…'; give the base URL only");
            }
        }

        void checkHeader(String name, String value) {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                throw problem("has header name '" + name + "' that is not a valid HTTP header name");
            }
            if (CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw problem(
                        "sets header '" + name + "' directly; credentials go in 'credentials' so they stay secret");
            }
            if (value == null || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c >= 0x7f)) {
                throw problem(
                        "has header '" + name + "' with a missing value or a control or non-ASCII character in it");
            }
        }

        String require(@Nullable String value, String name) {
            if (value == null || value.isBlank()) {
                throw problem("needs '" + name + "'");
            }
            return value;
        }

        void requirePositive(Duration value, String name) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw problem("has " + name + " " + value + "; it must be positive");
            }
        }

        IllegalArgumentException problem(String what) {
            return new IllegalArgumentException("engine of type " + kind.id() + " " + what);
        }
    }
}
