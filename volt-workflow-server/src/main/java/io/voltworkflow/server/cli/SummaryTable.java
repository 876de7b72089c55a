package io.voltworkflow.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The final summary of a workflow: outcome, one row per step, the result or error, and usage. Works on the status
 * JSON, so {@code run} (in-process) and {@code status} (over HTTP) print the same table.
 */
final class SummaryTable {
    private SummaryTable() {}

    static void print(PrintStream out, JsonNode status) {
        // In the order they ran (ISO timestamps sort as text); steps that never started last.
        List<JsonNode> steps = new ArrayList<>();
        status.path("steps").forEach(steps::add);
        steps.sort(Comparator.comparing(
                (JsonNode s) -> s.path("startedAt").asText(""),
                (a, b) -> a.isEmpty() || b.isEmpty() ? Boolean.compare(a.isEmpty(), b.isEmpty()) : a.compareTo(b)));
        int nameWidth = 12;
        for (JsonNode step : steps) {
            nameWidth = Math.max(
                    nameWidth,
                    Math.min(48, Terminal.safe(step.path("name").asText()).length()));
        }
        out.println();
        out.println("Workflow " + Terminal.safe(status.path("workflowId").asText()) + ": "
                + status.path("state").asText().toUpperCase(java.util.Locale.ROOT)
                + "  " + status.path("progress").path("completedSteps").asInt() + "/"
                + status.path("progress").path("totalSteps").asInt() + " steps");
        out.println("  " + Terminal.fit("STEP", nameWidth) + "  " + Terminal.fit("TYPE", 13) + "  "
                + Terminal.fit("STATE", 10) + "  " + Terminal.fit("ATTEMPTS", 8) + "  DURATION");
        for (JsonNode step : steps) {
            Long duration =
                    step.path("durationMs").isNumber() ? step.path("durationMs").asLong() : null;
            out.println("  " + Terminal.fit(step.path("name").asText(), nameWidth) + "  "
                    + Terminal.fit(step.path("type").asText(), 13) + "  "
                    + Terminal.fit(step.path("state").asText(), 10) + "  "
                    + Terminal.fit(String.valueOf(step.path("attempts").asInt()), 8) + "  "
                    + Terminal.duration(duration)
                    + (step.path("repairRound").asInt() > 0
                            ? "  repair round " + step.path("repairRound").asInt() + " of "
                                    + step.path("maxRepairRounds").asInt()
                            : ""));
        }
        JsonNode error = status.path("error");
        if (error.isObject()) {
            out.println("Error: " + error.path("code").asText() + ": "
                    + Terminal.safe(error.path("message").asText())
                    + (error.path("recoverable").asBoolean()
                            ? "  (recoverable: 'volt run --resume "
                                    + Terminal.safe(status.path("workflowId").asText())
                                    + "' re-runs what did not complete; 'volt resume' "
                                    + "does it on a server)"
                            : ""));
        }
        JsonNode repair = status.path("repair");
        if (repair.path("tasksValidated").asLong() > 0) {
            out.println(repairLine(repair));
        }
        JsonNode summary = status.path("result").path("summary");
        if (summary.isTextual()) {
            out.println("Result: " + Terminal.safe(summary.asText()));
        }
        JsonNode usage = status.path("usage");
        if (usage.path("inputTokens").asLong() + usage.path("outputTokens").asLong() > 0) {
            out.println("Usage: " + usage.path("inputTokens").asLong() + " input + "
                    + usage.path("outputTokens").asLong() + " output tokens, $"
                    + usage.path("costUsd").asDouble());
        }
    }

    /** E.g. "Validation: 2 of 3 tasks passed first time; 1 repaired in 2 rounds, 1 passed; $0.0400 per round". */
    static String repairLine(JsonNode repair) {
        long rounds = repair.path("rounds").asLong();
        String line = "Validation: " + repair.path("tasksPassedFirstTime").asLong() + " of "
                + repair.path("tasksValidated").asLong() + " tasks passed first time";
        if (rounds == 0) {
            return line;
        }
        line += "; " + repair.path("tasksRepaired").asLong() + " repaired in " + rounds + " round"
                + (rounds == 1 ? "" : "s") + ", "
                + repair.path("tasksPassedAfterRepair").asLong() + " passed";
        if (repair.path("costPerRoundUsd").asDouble() > 0) {
            return line + "; $"
                    + String.format(
                            java.util.Locale.ROOT,
                            "%.4f",
                            repair.path("costPerRoundUsd").asDouble()) + " per round";
        }
        return repair.path("tokensPerRound").asLong() > 0
                ? line + "; " + repair.path("tokensPerRound").asLong() + " tokens per round"
                : line;
    }

    static void print(PrintStream out, Object status) {
        print(out, WorkflowJson.mapper().valueToTree(status));
    }
}
