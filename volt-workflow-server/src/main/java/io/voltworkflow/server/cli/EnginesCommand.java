package io.voltworkflow.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.server.engines.EngineRouter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code engines check}: resolves the engine configuration as {@code run} and {@code serve} would, sends one minimal,
 * free request per configured engine and prints what it found. Exit code 0 when every engine is usable, 1 when one
 * is not (the table names the problem), 78 when the configuration itself is wrong.
 */
final class EnginesCommand {
    static final String USAGE = """
      Usage: volt engines check [options]
        Checks every configured engine with one minimal request (a model list; nothing is generated)
        and prints: reachable, model, credential accepted, structured output, latency, problem.
        --json               the report as JSON (the shape of GET /api/v1/engines)
        --data-dir DIR       data directory (default ./volt-data, or $VOLT_WORKFLOW_DATA_DIR)
        --workspace DIR      git working directory (default <data-dir>/workspace)
        --config FILE        engine configuration (default $VOLT_WORKFLOW_CONFIG, else <data-dir>/volt.yaml)
        --engine NAME        a profile of the configuration file, or openai, anthropic, ollama, builtin
        --model MODEL        the model of an --engine shortcut
      """;

    private EnginesCommand() {}

    static int run(CliEnvironment env, List<String> args) {
        Arguments parsed =
                Arguments.parse(args, Set.of("data-dir", "workspace", "config", "engine", "model"), Set.of("json"));
        if (!parsed.positional().equals(List.of("check"))) {
            throw new UsageException("engines takes one subcommand: check");
        }
        Path dataDirectory = EmbeddedOrchestrator.dataDirectory(env, parsed);
        Path workspace = parsed.value("workspace") == null
                ? dataDirectory.resolve("workspace")
                : env.resolve(parsed.value("workspace"));
        // As run and serve would: the workspace the built-in engines and chat code generators work in exists.
        Workspaces.prepare(workspace, env.err());
        Map<String, String> variables = new HashMap<>(env.variables());
        EngineProvider.Setup setup = new EngineProvider.Setup(
                workspace,
                dataDirectory,
                variables,
                parsed.value("config") == null ? null : env.resolve(parsed.value("config")),
                parsed.value("engine"),
                parsed.value("model"),
                env.err(),
                false);
        JsonNode report;
        try (EngineRouter router = new EngineRouter(ConfiguredEngines.loader(setup))) {
            report = router.check();
        }
        if (parsed.flag("json")) {
            env.out().println(WorkflowJson.write(report));
        } else {
            print(env.out(), report);
        }
        return report.path("ok").asBoolean() ? ExitCodes.COMPLETED : ExitCodes.FAILED;
    }

    private static void print(PrintStream out, JsonNode report) {
        String format = "%-12s %-10s %-12s %-22s %-9s %-7s %-10s %8s  %s%n";
        out.printf(
                format,
                "PROFILE",
                "STAGE",
                "TYPE",
                "MODEL",
                "REACHABLE",
                "AUTH",
                "STRUCTURED",
                "LATENCY",
                "TARGET / PROBLEM");
        for (JsonNode profile : report.path("profiles")) {
            String name =
                    profile.path("name").asText() + (profile.path("default").asBoolean() ? "*" : "");
            for (JsonNode engine : profile.path("engines")) {
                out.printf(
                        format,
                        Terminal.fit(name, 12),
                        engine.path("stage").asText(),
                        engine.path("type").asText(),
                        Terminal.fit(text(engine.path("model")), 22),
                        yesNo(engine.path("reachable")),
                        yesNo(engine.path("authOk")),
                        yesNo(engine.path("structuredOutput")),
                        engine.path("latencyMs").isNull()
                                ? "-"
                                : engine.path("latencyMs").asLong() + " ms",
                        engine.path("problem").isNull()
                                ? Terminal.safe(engine.path("target").asText())
                                : "✗ " + Terminal.safe(engine.path("problem").asText()));
            }
        }
        out.println(
                report.path("ok").asBoolean()
                        ? "All engines usable. (* default profile)"
                        : "Some engines are not usable; see PROBLEM above. (* default profile)");
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }

    private static String yesNo(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "-" : node.asBoolean() ? "yes" : "no";
    }
}
