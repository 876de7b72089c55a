package io.voltworkflow.engines.delivery;

import io.voltworkflow.core.engine.EngineContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One forge's pull (or merge) request API, for one repository. Failures are classified {@link
 * io.voltworkflow.core.engine.EngineException}s; {@link io.voltworkflow.engines.http.HttpStatusException} carries
 * the HTTP status, so the caller can tell "a pull request for this branch exists already" (409, 422) from others.
 */
public interface Forge {
    /** The forge's name for messages and the console, e.g. {@code GitHub}. */
    String name();

    /** The HTTPS username that goes with this forge's API token when git pushes. */
    String gitUsername();

    /** The open request from {@code head} into {@code base}, if there is one. */
    CompletionStage<Optional<PullRequest>> findOpen(String head, String base, EngineContext context);

    CompletionStage<PullRequest> create(PullRequestSpec spec, EngineContext context);

    /**
     * Brings an open request's title, description, labels and draft state up to date: a draft whose branch now passes
     * becomes ready for review, a ready request whose branch now fails becomes a draft again.
     */
    CompletionStage<PullRequest> update(PullRequest existing, PullRequestSpec spec, EngineContext context);

    /**
     * Adds {@code labels} to an open request, never removing any. A separate call from {@link #create}: a refused label
     * must not read as "the request exists already". Does nothing for forges that label in create and update (GitLab)
     * or have no labels (Bitbucket).
     */
    default CompletionStage<PullRequest> label(PullRequest request, List<String> labels, EngineContext context) {
        return CompletableFuture.completedStage(request);
    }

    /** Shows a check result on {@code commit}, so the request shows it. */
    CompletionStage<Void> reportStatus(String commit, CommitStatus status, EngineContext context);
}
