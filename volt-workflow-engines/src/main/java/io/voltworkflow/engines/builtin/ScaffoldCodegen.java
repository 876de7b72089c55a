package io.voltworkflow.engines.builtin;

import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.RepairRound;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.engines.internal.InProcessCodegen;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.PatchApplier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The offline code generator. It is a scaffold, not AI: for each task it writes one Markdown file into the
 * workspace ({@code volt-scaffold/<workflow>/<task>.md}) describing what to implement and how it will be accepted,
 * as a real unified diff applied with {@code git apply}. The patch is also kept as {@code .volt/patches/…}. The file's
 * content is deterministic, so a re-issued step finds its patch already applied and leaves it alone.
 *
 * <p>In a repair round it takes the rejected scaffold out and writes a new one that quotes the validation failure
 * and addresses the findings it knows: {@value #UNLINKED_DEPENDENCIES} (the scaffold check of a workspace the CLI
 * creates asks for it) turns the task ids of "Depends on:" into links to their scaffolds. A first pass writes the
 * links, so a scaffold passes that check first time. With {@link BuiltinOptions#demonstrateRepair()} on, and in a
 * workflow that allows repair rounds, a first pass names the dependencies as plain ids instead, which that check
 * rejects: the offline path then shows the repair loop at work with no model.
 */
public final class ScaffoldCodegen extends InProcessCodegen {
    public static final String GENERATOR = "scaffold";
    /** The validation finding that asks for "Depends on:" links, as the workspace's scaffold check words it. */
    public static final String UNLINKED_DEPENDENCIES = "link each task to its scaffold";
    /** Lines of a validation failure quoted in a revised scaffold: the findings, not a whole log. */
    private static final int MAX_FEEDBACK_LINES = 20;

    private final BuiltinOptions options;
    private final PatchApplier applier;

    public ScaffoldCodegen(BuiltinOptions options) {
        super(GENERATOR);
        this.options = options;
        this.applier = new PatchApplier(options.workspace());
    }

    @Override
    protected CompletionStage<CodegenResult> generate(CodegenRequest request, EngineContext context) {
        TaskSpec task = request.task();
        if (task == null) {
            throw new EngineException(
                    StepError.fatal(StepError.INVALID_INPUT, "code generation needs a task; none was given"));
        }
        context.recordProvenance("engine", GENERATOR);
        String workflow = Artifacts.safeName(context.workflowId().value());
        String path = options.scaffoldDirectory() + "/" + workflow + "/" + Artifacts.safeName(task.id()) + ".md";
        RepairRound repair = request.repair();
        boolean unlinkedOnPurpose = options.demonstrateRepair() && context.maxRepairRounds() > 0;
        boolean linked = repair == null
                ? !unlinkedOnPurpose
                : !unlinkedOnPurpose || repair.failure().message().contains(UNLINKED_DEPENDENCIES);
        String patch = newFilePatch(path, content(task, request.requirementText(), linked, repair));
        CompletionStage<Void> cleared = repair == null || repair.previousPatch().isEmpty()
                ? CompletableFuture.completedFuture(null)
                : applier.revert(repair.previousPatch(), context);
        return cleared.thenCompose(ignored -> applier.apply(patch, context))
                .thenApplyAsync(
                        files -> {
                            Path saved = Artifacts.file(
                                    options, "patches", workflow, Artifacts.safeName(task.id()) + ".patch");
                            write(saved, patch);
                            // Relative to the workspace: a host's absolute paths (a Jenkins controller's build
                            // directory) stay private.
                            String reference =
                                    options.workspace().relativize(saved).toString();
                            context.progress("scaffold written to " + path + "; patch saved as " + reference);
                            return new CodegenResult(
                                    "Scaffold (not AI): " + path + " describes task " + task.id()
                                            + " for a developer or an AI engine to implement"
                                            + (repair == null
                                                    ? ""
                                                    : "; revised in repair round " + repair.round() + " of "
                                                            + repair.maxRounds() + " after validation failed"),
                                    patch,
                                    files,
                                    reference,
                                    GENERATOR,
                                    Json.object().put("ai", false).put("path", path));
                        },
                        context.blockingExecutor());
    }

    /** {@code linked}: dependencies as links to their scaffolds; {@code repair}: the round's feedback, or null. */
    static List<String> content(TaskSpec task, String requirement, boolean linked, @Nullable RepairRound repair) {
        List<String> lines = new ArrayList<>();
        lines.add("# " + task.id() + ": " + task.title());
        lines.add("");
        lines.add("> Scaffold written by Volt Workflow's built-in offline engine. This is not AI-generated code:");
        lines.add("> implement the task here or configure an AI code generation engine.");
        lines.add("");
        if (!task.description().isBlank()) {
            lines.add(task.description());
            lines.add("");
        }
        if (!task.dependsOn().isEmpty()) {
            lines.add("Depends on: "
                    + task.dependsOn().stream()
                            .map(id -> linked ? "[" + id + "](" + Artifacts.safeName(id) + ".md)" : id)
                            .collect(Collectors.joining(", ")));
            lines.add("");
        }
        lines.add("## Acceptance criteria");
        lines.add("");
        task.acceptanceCriteria().forEach(criterion -> lines.add("- [ ] " + criterion));
        if (!task.files().isEmpty()) {
            lines.add("");
            lines.add("## Files likely to change");
            lines.add("");
            task.files().forEach(file -> lines.add("- " + file));
        }
        if (repair != null) {
            lines.add("");
            lines.add("## Validation feedback (repair round " + repair.round() + " of " + repair.maxRounds() + ")");
            lines.add("");
            repair.failure()
                    .message()
                    .lines()
                    .limit(MAX_FEEDBACK_LINES)
                    .forEach(line -> lines.add("> " + line.strip()));
        }
        if (requirement != null && !requirement.isBlank()) {
            lines.add("");
            lines.add("## Requirement");
            lines.add("");
            requirement.strip().lines().forEach(line -> lines.add(line.isBlank() ? ">" : "> " + line.strip()));
        }
        return lines;
    }

    static String newFilePatch(String path, List<String> lines) {
        StringBuilder patch = new StringBuilder()
                .append("diff --git a/")
                .append(path)
                .append(" b/")
                .append(path)
                .append('\n')
                .append("new file mode 100644\n")
                .append("--- /dev/null\n")
                .append("+++ b/")
                .append(path)
                .append('\n')
                .append("@@ -0,0 +1,")
                .append(lines.size())
                .append(" @@\n");
        lines.forEach(line -> patch.append('+').append(line).append('\n'));
        return patch.toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the patch as " + file, e);
        }
    }
}
