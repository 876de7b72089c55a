package io.voltworkflow.engines.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.engines.EngineCheck;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.anthropic.AnthropicChatModel;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.http.HttpTransport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Checks a configured engine with one request that costs nothing: the model list of chat providers, an unknown job
 * of a Volt engine (a 404 proves the service and the credential), and no request at all for local programs and the
 * built-in engines, whose program or workspace is looked at instead.
 */
public final class EngineProbe {
    private static final int MAX_BODY = 1024 * 1024;

    private EngineProbe() {}

    public static EngineCheck check(EngineConfig config, HttpTransport transport) {
        return switch (config.kind()) {
            case BUILTIN -> workspace(config);
            case COMMAND -> program(config);
            case OPENAI, AZURE_OPENAI, ANTHROPIC, VOLT -> http(config, transport);
        };
    }

    private static EngineCheck workspace(EngineConfig config) {
        Path workspace = config.workspace();
        boolean git = workspace != null && Files.isDirectory(workspace.resolve(".git"));
        return new EngineCheck(
                config.kind(),
                String.valueOf(workspace),
                null,
                git,
                null,
                null,
                null,
                Duration.ZERO,
                git ? null : "workspace " + workspace + " is not a git working directory");
    }

    private static EngineCheck program(EngineConfig config) {
        String program = config.command().get(0);
        boolean found = program.contains("/") ? Files.isExecutable(resolve(config, program)) : onPath(program);
        return new EngineCheck(
                config.kind(),
                program,
                null,
                found,
                null,
                null,
                null,
                Duration.ZERO,
                found
                        ? null
                        : "program '" + program + "' is not an executable file"
                                + (program.contains("/") ? "" : " on PATH"));
    }

    private static Path resolve(EngineConfig config, String program) {
        Path path = Path.of(program);
        return path.isAbsolute() || config.workspace() == null
                ? path
                : config.workspace().resolve(path);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    private static EngineCheck http(EngineConfig config, HttpTransport transport) {
        HttpUrl base = HttpUrl.get(config.url());
        Map<String, String> headers = new LinkedHashMap<>(config.headers());
        HttpUrl url =
                switch (config.kind()) {
                    case OPENAI -> base.newBuilder().addPathSegments("models").build();
                    case AZURE_OPENAI ->
                        base.newBuilder()
                                .addPathSegments("openai/models")
                                .addQueryParameter("api-version", config.apiVersion())
                                .build();
                    case ANTHROPIC -> {
                        headers.put("anthropic-version", AnthropicChatModel.API_VERSION);
                        yield base.newBuilder()
                                .addPathSegments("v1/models")
                                .addQueryParameter("limit", "1000")
                                .build();
                    }
                    default ->
                        base.newBuilder()
                                .addPathSegments("v1/codegen/jobs/volt-engines-check")
                                .build();
                };
        String target = url.newBuilder().query(null).build().toString();
        Boolean structured = config.kind() == EngineKind.VOLT ? null : config.structuredOutput();
        Credential credential;
        try {
            credential = config.credentials().credential();
        } catch (RuntimeException e) {
            return new EngineCheck(
                    config.kind(),
                    target,
                    config.model(),
                    false,
                    false,
                    null,
                    structured,
                    null,
                    "no usable credential: " + e.getMessage());
        }
        long started = System.nanoTime();
        HttpTransport.Probe reply = transport.probe(url, config.http(), credential, headers, MAX_BODY);
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        if (reply.failure() != null) {
            return new EngineCheck(
                    config.kind(),
                    target,
                    config.model(),
                    false,
                    null,
                    null,
                    structured,
                    latency,
                    "not reachable: " + reply.failure().getClass().getSimpleName()
                            + (reply.failure().getMessage() == null
                                    ? ""
                                    : " (" + reply.failure().getMessage() + ")"));
        }
        int status = reply.status();
        if (status == 401 || status == 403) {
            return new EngineCheck(
                    config.kind(),
                    target,
                    config.model(),
                    true,
                    false,
                    null,
                    structured,
                    latency,
                    "HTTP " + status + ": the credential was refused");
        }
        if (config.kind() == EngineKind.VOLT) {
            boolean ok = status == 404 || status / 100 == 2;
            return new EngineCheck(
                    config.kind(),
                    target,
                    null,
                    true,
                    ok ? true : null,
                    null,
                    null,
                    latency,
                    ok ? null : "HTTP " + status + " to a job lookup");
        }
        if (status / 100 != 2) {
            // Servers without a model list (404) still answered: reachable, the rest unknown.
            return new EngineCheck(
                    config.kind(),
                    target,
                    config.model(),
                    true,
                    null,
                    null,
                    structured,
                    latency,
                    status == 404 ? null : "HTTP " + status + " to the model list");
        }
        // Every chat kind's configuration is refused without a model.
        String model = Objects.requireNonNull(config.model(), "a chat engine's configuration names its model");
        Boolean known =
                Json.tryParse(reply.body()).map(body -> listsModel(body, model)).orElse(null);
        return new EngineCheck(
                config.kind(),
                target,
                config.model(),
                true,
                true,
                known,
                structured,
                latency,
                Boolean.FALSE.equals(known) ? "model '" + model + "' is not in the endpoint's model list" : null);
    }

    /** OpenAI, Anthropic, Ollama, vLLM and LiteLLM list models as {@code data[].id}; Anthropic ids carry a date. */
    private static @Nullable Boolean listsModel(JsonNode body, String model) {
        JsonNode data = body.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            return null;
        }
        for (JsonNode entry : data) {
            String id = entry.path("id").asText();
            if (id.equals(model) || id.startsWith(model + "-") || id.equals(model + ":latest")) {
                return true;
            }
        }
        return false;
    }
}
