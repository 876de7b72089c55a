package io.voltworkflow.engines.builtin;

import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
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
import java.util.concurrent.CompletionStage;

/**
 * The offline code generator. It is a scaffold, not AI: for each task it writes one Markdown file into the
 * workspace ({@code volt-scaffold/<workflow>/<task>.md}) describing what to implement and how it will be accepted,
 * as a real unified diff applied with {@code git apply}. The patch is also kept as {@code .volt/patches/…}. The file's
 * content is deterministic, so a re-issued step finds its patch already applied and leaves it alone.
 */
public final class ScaffoldCodegen extends InProcessCodegen {
    public static final String GENERATOR = "scaffold";

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
        String patch = newFilePatch(path, content(task, request.requirementText()));
        return applier.apply(patch, context)
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
                                            + " for a developer or an AI engine to implement",
                                    patch,
                                    files,
                                    reference,
                                    GENERATOR,
                                    Json.object().put("ai", false).put("path", path));
                        },
                        context.blockingExecutor());
    }

    static List<String> content(TaskSpec task, String requirement) {
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
            lines.add("Depends on: " + String.join(", ", task.dependsOn()));
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
