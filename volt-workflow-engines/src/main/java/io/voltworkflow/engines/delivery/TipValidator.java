package io.voltworkflow.engines.delivery;

import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.engines.delivery.git.GitRepository;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Validates a branch tip, all tasks together, where the tasks were validated: on this machine in a clean checkout of
 * the tip ({@link #inCheckout}), or wherever a host runs its validations (a Jenkins agent), given the commits in
 * {@link Tip#repository()}. Empty when it cannot validate this tip; delivery then compares the tip's files with the
 * validated workspace instead.
 */
@FunctionalInterface
public interface TipValidator {

    /** The task a tip validation stands for: the whole branch ({@code VOLT_TASK_ID} of a command validation). */
    String TASK_ID = "branch";

    CompletionStage<Optional<ValidationResult>> validate(Tip tip, EngineContext context);

    /**
     * The tip to validate: {@code head}, the commit the pull request shows, on {@code branch} in {@code repository},
     * built on {@code base} (null for a root commit); {@code changedFiles} are the files the branch changes.
     */
    record Tip(
            GitRepository repository,
            String branch,
            @Nullable String base,
            String head,
            List<String> changedFiles) {
        public Tip {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(head, "head");
            changedFiles = List.copyOf(changedFiles);
        }
    }

    /** The tip checked out next to the repository (a detached {@code git worktree}) and validated there by {@code engine}. */
    static TipValidator inCheckout(ValidationEngine engine) {
        Objects.requireNonNull(engine, "engine");
        return (tip, context) -> TipValidation.run(engine, tip, context);
    }
}
