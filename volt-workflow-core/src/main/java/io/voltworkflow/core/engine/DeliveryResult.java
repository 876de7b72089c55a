package io.voltworkflow.core.engine;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the result went: the branch and its head commit, and the pull (or merge) request when a forge is
 * configured ({@code pullRequestUrl} null otherwise). {@code draft} says the request was opened as a draft.
 * {@code tipValidation} is the validation of the branch's head commit, all tasks together in a checkout of exactly
 * that commit, or null when delivery did not validate it; one that did not pass fails the workflow, with this result
 * kept, and a resume delivers and validates again.
 */
public record DeliveryResult(
        String branch,
        String headCommit,
        @Nullable String pullRequestUrl,
        boolean draft,
        String summary,
        @Nullable ValidationResult tipValidation) {
    public DeliveryResult {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(headCommit, "headCommit");
        summary = summary == null ? "" : summary;
    }

    /** A delivery that did not validate the branch tip. */
    public DeliveryResult(
            String branch, String headCommit, @Nullable String pullRequestUrl, boolean draft, String summary) {
        this(branch, headCommit, pullRequestUrl, draft, summary, null);
    }
}
