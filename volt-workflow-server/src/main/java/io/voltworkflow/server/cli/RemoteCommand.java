package io.voltworkflow.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code status|pause|resume|cancel <id>} against a running server. The token comes from {@code --token-file},
 * {@code $VOLT_WORKFLOW_TOKEN} or the {@code api-token} file {@code serve} created in the data directory (a
 * {@code --token} argument works too but is visible to other users of the machine). When no server answers,
 * {@code resume} continues the workflow in this process on the data directory, as {@code run --resume} does.
 */
final class RemoteCommand {
    static final String URL_VARIABLE = "VOLT_WORKFLOW_URL";
    private static final String RESUME = "resume";
    static final String USAGE = """
      Usage: volt status|pause|resume|cancel <workflow-id> [options]
        --url URL            server (default http://127.0.0.1:8080, or $VOLT_WORKFLOW_URL)
        --token-file FILE    file holding the token (default: $VOLT_WORKFLOW_TOKEN, else <data-dir>/api-token)
        --token TOKEN        the token itself (visible in the process list; prefer the above)
        --data-dir DIR       where 'serve' keeps its api-token (default ./volt-data)
        --reason TEXT        cancel only: why
        --json               status only: print the status JSON
      When no server answers, resume continues the workflow in this process on the data directory,
      with live progress and a summary, like 'volt run --resume ID'; the embedded options of
      'volt run' (--config, --engine, --validate-with, …) and --plain apply then.
      """;

    private RemoteCommand() {}

    static int run(CliEnvironment env, String action, List<String> args) {
        Set<String> valued = new HashSet<>(Set.of("url", "token", "token-file", "data-dir", "reason"));
        Set<String> flags = new HashSet<>(Set.of("json"));
        if (action.equals(RESUME)) {
            valued.addAll(EmbeddedOrchestrator.OPTIONS);
            flags.addAll(EmbeddedOrchestrator.FLAGS);
            flags.add("plain");
        }
        Arguments parsed = Arguments.parse(args, valued, flags);
        if (parsed.positional().size() != 1) {
            throw new UsageException(action + " needs exactly one workflow id");
        }
        WorkflowId id;
        try {
            id = WorkflowId.of(parsed.positional().get(0));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (parsed.value("reason") != null && !action.equals("cancel")) {
            throw new UsageException("--reason applies to cancel only");
        }
        if (parsed.flag("json") && !action.equals("status")) {
            throw new UsageException("--json applies to status only");
        }
        URI base = baseUrl(parsed.value(
                "url", env.variable(URL_VARIABLE) == null ? "http://127.0.0.1:8080" : env.variable(URL_VARIABLE)));
        String token = token(env, parsed);

        HttpRequest.Builder request =
                HttpRequest.newBuilder().timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        String path = "api/v1/workflows/" + id.value() + "/" + action;
        if (action.equals("status")) {
            request.uri(base.resolve(path)).GET();
        } else {
            ObjectNode body = WorkflowJson.mapper().createObjectNode();
            if (parsed.value("reason") != null) {
                body.put("reason", parsed.value("reason"));
            }
            request.uri(base.resolve(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        }

        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            Path dataDirectory = EmbeddedOrchestrator.dataDirectory(env, parsed);
            if (action.equals(RESUME) && (Files.isDirectory(dataDirectory) || parsed.value("store") != null)) {
                env.out()
                        .println("No server answers at " + base + "; resuming in this process on " + dataDirectory
                                + ".");
                return RunCommand.resume(env, parsed, id);
            }
            env.err()
                    .println("Cannot reach a Volt Workflow server at " + base
                            + " (is 'volt serve' running? --url sets the address)");
            return ExitCodes.UNAVAILABLE;
        } catch (IOException e) {
            env.err().println("Request to " + base + " failed: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() != 200) {
            JsonNode error = json.path("error");
            String message = error.isObject()
                    ? error.path("code").asText() + ": "
                            + Terminal.safe(error.path("message").asText())
                    : "HTTP " + response.statusCode();
            env.err()
                    .println("Refused: " + message
                            + (response.statusCode() == 401
                                    ? " (set $VOLT_WORKFLOW_TOKEN or --token-file, or run from the directory 'volt serve' keeps its data in)"
                                    : ""));
            return ExitCodes.FAILED;
        }
        if (action.equals("status")) {
            if (parsed.flag("json")) {
                env.out().println(response.body());
            } else {
                SummaryTable.print(env.out(), json);
            }
        } else {
            env.out().println("Workflow " + id + " is " + json.path("state").asText());
        }
        return ExitCodes.COMPLETED;
    }

    private static URI baseUrl(String raw) {
        try {
            URI uri = URI.create(raw.endsWith("/") ? raw : raw + "/");
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url must be an http(s) URL like http://127.0.0.1:8080, was '" + raw + "'");
        }
    }

    private static @Nullable String token(CliEnvironment env, Arguments parsed) {
        if (parsed.value("token") != null) {
            return parsed.value("token");
        }
        if (parsed.value("token-file") != null) {
            return ApiTokenFile.read(env.resolve(parsed.value("token-file")));
        }
        if (env.variable(ServeCommand.TOKEN_VARIABLE) != null) {
            return env.variable(ServeCommand.TOKEN_VARIABLE);
        }
        Path serverToken = ApiTokenFile.path(EmbeddedOrchestrator.dataDirectory(env, parsed));
        return Files.isReadable(serverToken) ? ApiTokenFile.read(serverToken) : null;
    }

    private static JsonNode parse(String body) {
        try {
            return WorkflowJson.mapper().readTree(body);
        } catch (IOException e) {
            return WorkflowJson.mapper().createObjectNode();
        }
    }
}
