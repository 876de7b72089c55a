package io.voltworkflow.core.engine;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the result went: the branch and its head commit, and the pull (or merge) request when a forge is
 * configured ({@code pullRequestUrl} null otherwise). {@code draft} says the request was opened as a draft.
 */
public record DeliveryResult(
        String branch, String headCommit, @Nullable String pullRequestUrl, boolean draft, String summary) {
    public DeliveryResult {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(headCommit, "headCommit");
        summary = summary == null ? "" : summary;
    }
}
