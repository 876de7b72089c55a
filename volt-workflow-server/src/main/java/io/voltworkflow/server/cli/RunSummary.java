package io.voltworkflow.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.engines.builtin.CommandValidation;
import io.voltworkflow.engines.builtin.HeuristicAnalyzer;
import io.voltworkflow.engines.builtin.ScaffoldCodegen;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The lines after {@code run}'s table: where the workflow's patches and validation reports are, and which engines
 * did the work, the built-in ones named as not AI, so nobody mistakes a scaffold for generated code.
 */
final class RunSummary {
    private static final Set<String> BUILT_IN =
            Set.of(HeuristicAnalyzer.ENGINE, ScaffoldCodegen.GENERATOR, CommandValidation.ENGINE);
    private static final Map<StepType, String> ROLES = Map.of(
            StepType.ANALYSIS, "analysis", StepType.CODEGEN, "code generation", StepType.VALIDATION, "validation");

    private RunSummary() {}

    static void print(PrintStream out, WorkflowStatus status, Path workspace) {
        Path artifacts = workspace.resolve(".volt");
        String workflow = status.workflowId().value();
        artifactLine(out, "Patches:            ", artifacts.resolve("patches").resolve(workflow), "patch");
        artifactLine(
                out, "Validation reports: ", artifacts.resolve("validation").resolve(workflow), "json");
        JsonNode delivery = status.result() == null ? null : status.result().path("delivery");
        if (delivery != null && delivery.path("headCommit").asText("").length() > 0) {
            out.println("Branch:             "
                    + Terminal.safe(delivery.path("branch").asText()) + " in " + workspace);
            if (delivery.hasNonNull("pullRequestUrl")) {
                out.println("Pull request:       "
                        + Terminal.safe(delivery.path("pullRequestUrl").asText())
                        + (delivery.path("draft").asBoolean() ? " (draft)" : ""));
            }
        }
        String engines = engines(status);
        if (!engines.isEmpty()) {
            out.println("Engines:            " + engines);
        }
    }

    private static void artifactLine(PrintStream out, String label, Path directory, String extension) {
        long files = count(directory, extension);
        if (files > 0) {
            out.println(label + directory + "/ (" + Terminal.count((int) files, "file") + ")");
        }
    }

    private static long count(Path directory, String extension) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith("." + extension))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** "analysis builtin-heuristic (built-in, not AI); code generation …", from what each step recorded. */
    static String engines(WorkflowStatus status) {
        List<String> parts = new ArrayList<>();
        for (StepType type : List.of(StepType.ANALYSIS, StepType.CODEGEN, StepType.VALIDATION)) {
            Set<String> used = new LinkedHashSet<>();
            for (StepStatus step : status.steps()) {
                String engine = step.provenance().get("engine");
                if (step.type().equals(type.id()) && engine != null) {
                    String model = step.provenance().get("model");
                    used.add(Terminal.safe(engine)
                            + (model == null ? "" : " " + Terminal.safe(model))
                            + (BUILT_IN.contains(engine) ? " (built-in, not AI)" : ""));
                }
            }
            if (!used.isEmpty()) {
                parts.add(ROLES.get(type) + " " + String.join(", ", used));
            }
        }
        return String.join("; ", parts);
    }
}
