package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Applies a generated unified diff to a workspace with {@code git apply}, after checking that every path it names
 * stays inside the workspace ({@link PatchPaths}); {@code git apply} refuses paths outside the tree as well. A patch
 * that is already applied (a step re-issued after a crash) is recognised and left alone. A patch that is unsafe or does
 * not apply is {@link #unusable unusable output}, classified like every other unusable model answer.
 */
public final class PatchApplier {
    private static final Duration GIT_TIMEOUT = Duration.ofMinutes(2);

    /** {@code null}: the host's validation applies the patch (see {@link #appliedByValidation()}). */
    private final @Nullable Path workspace;

    public PatchApplier(Path workspace) {
        this.workspace = workspace.toAbsolutePath().normalize();
    }

    private PatchApplier() {
        this.workspace = null;
    }

    /**
     * For hosts whose validation applies every patch itself, in a workspace this process cannot reach (a Jenkins
     * agent's): the patch's form and paths are checked here, and a patch that does not apply fails its validation there.
     */
    public static PatchApplier appliedByValidation() {
        return new PatchApplier();
    }

    /** Where patches are applied; empty when the host's validation applies them. */
    public Optional<Path> workspace() {
        return Optional.ofNullable(workspace);
    }

    /** Completes with the touched paths once the patch is in the working tree (or, without one, once it is checked). */
    public CompletionStage<List<String>> apply(String patch, EngineContext context) {
        List<String> paths;
        try {
            paths = PatchPaths.touchedPaths(patch);
        } catch (IllegalArgumentException unsafe) {
            return CompletableFuture.failedFuture(unusable("generated patch rejected: " + unsafe.getMessage()));
        }
        Path tree = workspace;
        if (tree == null) {
            context.progress("patch checked (" + paths.size() + " files); the validation applies it in its workspace");
            return CompletableFuture.completedFuture(paths);
        }
        byte[] bytes = (patch.endsWith("\n") ? patch : patch + "\n").getBytes(StandardCharsets.UTF_8);
        return git(tree, List.of("git", "apply", "--check", "--whitespace=nowarn", "-"), bytes, context)
                .thenCompose(check -> {
                    if (check.exitCode() == 0) {
                        return git(tree, List.of("git", "apply", "--whitespace=nowarn", "-"), bytes, context)
                                .thenApply(applied -> requireSuccess(applied, "git apply", paths));
                    }
                    return git(tree, List.of("git", "apply", "--reverse", "--check", "-"), bytes, context)
                            .thenApply(reverse -> {
                                if (reverse.exitCode() == 0) {
                                    context.progress("patch already applied to the workspace; left as is");
                                    return paths;
                                }
                                throw unusable(
                                        "the generated patch does not apply to " + tree + ": " + check.stderrExcerpt());
                            });
                });
    }

    /**
     * Takes a patch back out of the working tree, for a repair round whose patch replaces it. A patch that is not in the
     * tree (taken out already by an attempt that was then re-issued) is left alone; the new patch's check decides.
     */
    public CompletionStage<Void> revert(String patch, EngineContext context) {
        Path tree = workspace;
        if (tree == null) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] bytes = (patch.endsWith("\n") ? patch : patch + "\n").getBytes(StandardCharsets.UTF_8);
        return git(tree, List.of("git", "apply", "--reverse", "--check", "--whitespace=nowarn", "-"), bytes, context)
                .thenCompose(check -> check.exitCode() != 0
                        ? CompletableFuture.<Void>completedFuture(null)
                        : git(tree, List.of("git", "apply", "--reverse", "--whitespace=nowarn", "-"), bytes, context)
                                .thenApply(reverted -> {
                                    requireSuccess(reverted, "git apply --reverse", List.of());
                                    return null;
                                }));
    }

    /**
     * Generated output that cannot be used (no file headers, unsafe paths, does not apply): one classification, retryable,
     * because another sample, or one told what was wrong, may be fine.
     */
    public static EngineException unusable(String message) {
        return new EngineException(StepError.retryable(StepError.INVALID_RESPONSE, message));
    }

    private static CompletionStage<ProcessRunner.Outcome> git(
            Path workspace, List<String> command, byte[] stdin, EngineContext context) {
        // Inside an enclosing repository git would read patch paths from that repository's root and silently skip the
        // ones outside the workspace; stopping discovery at the workspace keeps paths relative to it.
        Path parent = workspace.getParent();
        Map<String, String> environment =
                parent == null ? Map.of() : Map.of("GIT_CEILING_DIRECTORIES", parent.toString());
        return ProcessRunner.run(
                new ProcessRunner.Spec(
                        "git apply",
                        command,
                        workspace,
                        environment,
                        stdin,
                        GIT_TIMEOUT,
                        64 * 1024,
                        null,
                        Redactor.NONE),
                context);
    }

    private static List<String> requireSuccess(ProcessRunner.Outcome outcome, String what, List<String> paths) {
        if (outcome.exitCode() != 0) {
            throw new EngineException(
                    StepError.recoverable(StepError.ENGINE_ERROR, what + " failed: " + outcome.stderrExcerpt()));
        }
        return paths;
    }
}
