package io.voltworkflow.engines.delivery.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.delivery.CommitStatus;
import io.voltworkflow.engines.delivery.Forge;
import io.voltworkflow.engines.delivery.ForgeCalls;
import io.voltworkflow.engines.delivery.PullRequest;
import io.voltworkflow.engines.delivery.PullRequestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import okhttp3.HttpUrl;

/**
 * GitHub and GitHub Enterprise Server (REST, API base {@code https://HOST/api/v3}): pull requests, their labels (an
 * issue's labels, added, never removed), and commit statuses.
 */
public final class GitHubForge implements Forge {
    public static final String PUBLIC_API = "https://api.github.com";
    /** Headers GitHub asks REST clients to send. */
    public static final Map<String, String> HEADERS =
            Map.of("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28");

    private final ForgeCalls calls;
    private final String owner;
    private final String repository;

    /** {@code repository} is {@code OWNER/NAME}. */
    public GitHubForge(ForgeCalls calls, String repository) {
        this.calls = calls;
        String[] parts = ForgeCalls.repositoryPath(repository, 2, "a GitHub repository", "OWNER/NAME");
        this.owner = parts[0];
        this.repository = parts[1];
    }

    @Override
    public String name() {
        return "GitHub";
    }

    @Override
    public String gitUsername() {
        return "x-access-token";
    }

    @Override
    public CompletionStage<Optional<PullRequest>> findOpen(String head, String base, EngineContext context) {
        return calls.call(
                        "github.list_pulls",
                        "GET",
                        calls.url("repos", owner, repository, "pulls")
                                .addQueryParameter("state", "open")
                                .addQueryParameter("head", owner + ":" + head)
                                .addQueryParameter("base", base),
                        null,
                        context)
                .thenApply(list -> list.size() == 0 ? Optional.empty() : Optional.of(pullRequest(list.get(0))));
    }

    @Override
    public CompletionStage<PullRequest> create(PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("title", spec.title())
                .put("head", spec.head())
                .put("base", spec.base())
                .put("body", spec.body())
                .put("draft", spec.draft())
                .put("maintainer_can_modify", true);
        return calls.call("github.create_pull", "POST", calls.url("repos", owner, repository, "pulls"), body, context)
                .thenApply(GitHubForge::pullRequest);
    }

    @Override
    public CompletionStage<PullRequest> update(PullRequest existing, PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object().put("title", spec.title()).put("body", spec.body());
        return calls.call(
                        "github.update_pull",
                        "PATCH",
                        calls.url("repos", owner, repository, "pulls", existing.id()),
                        body,
                        context)
                .thenCompose(json -> {
                    PullRequest pr = pullRequest(json);
                    return pr.draft() == spec.draft()
                            ? CompletableFuture.completedStage(pr)
                            : setDraft(ForgeCalls.text(json, "node_id", "GitHub"), spec.draft(), context)
                                    .thenApply(draft -> new PullRequest(pr.id(), pr.url(), draft, pr.version()));
                });
    }

    /**
     * Marks a pull request ready for review, or converts it back to a draft: GitHub's REST API cannot change a pull
     * request's draft state, its GraphQL API can ({@code markPullRequestReadyForReview},
     * {@code convertPullRequestToDraft}, by the pull request's node id). Returns the draft state GitHub reports.
     */
    private CompletionStage<Boolean> setDraft(String nodeId, boolean draft, EngineContext context) {
        String mutation = draft ? "convertPullRequestToDraft" : "markPullRequestReadyForReview";
        ObjectNode body = ForgeCalls.object()
                .put(
                        "query",
                        "mutation($id: ID!) { " + mutation
                                + "(input: {pullRequestId: $id}) { pullRequest { isDraft } } }");
        body.putObject("variables").put("id", nodeId);
        return calls.call("github." + mutation, "POST", graphqlUrl(calls.api()).newBuilder(), body, context)
                .thenApply(reply -> {
                    // GraphQL answers 200 with "errors" when it refuses: no permission, no such node, not a draft.
                    JsonNode errors = reply.path("errors");
                    if (errors.isArray() && errors.size() > 0) {
                        List<String> messages = new ArrayList<>();
                        errors.forEach(
                                error -> messages.add(error.path("message").asText()));
                        throw new EngineException(StepError.recoverable(
                                StepError.ENGINE_ERROR,
                                "GitHub refused " + mutation + ": " + String.join("; ", messages)));
                    }
                    JsonNode pullRequest = reply.path("data").path(mutation).path("pullRequest");
                    if (!pullRequest.path("isDraft").isBoolean()) {
                        throw new EngineException(StepError.retryable(
                                StepError.INVALID_RESPONSE,
                                "GitHub answered " + mutation + " without the pull request's draft state"));
                    }
                    return pullRequest.path("isDraft").asBoolean();
                });
    }

    /**
     * GitHub's GraphQL endpoint for a REST API base: {@code https://api.github.com/graphql} for GitHub.com,
     * {@code https://HOST/api/graphql} for GitHub Enterprise Server ({@code https://HOST/api/v3}).
     */
    public static HttpUrl graphqlUrl(HttpUrl api) {
        List<String> segments = new ArrayList<>(api.pathSegments());
        segments.removeIf(String::isEmpty);
        int size = segments.size();
        if (size >= 2
                && segments.get(size - 2).equals("api")
                && segments.get(size - 1).equals("v3")) {
            segments.set(size - 1, "graphql");
        } else {
            segments.add("graphql");
        }
        HttpUrl.Builder url = api.newBuilder().encodedPath("/");
        segments.forEach(url::addPathSegment);
        return url.build();
    }

    @Override
    public CompletionStage<Void> reportStatus(String commit, CommitStatus status, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put(
                        "state",
                        switch (status.state()) {
                            case PENDING -> "pending";
                            case SUCCESS -> "success";
                            case FAILURE -> "failure";
                        })
                .put("context", status.context())
                .put("description", status.description());
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        return calls.call(
                        "github.create_status",
                        "POST",
                        calls.url("repos", owner, repository, "statuses", commit),
                        body,
                        context)
                .thenApply(ignored -> null);
    }

    @Override
    public CompletionStage<PullRequest> label(PullRequest pr, List<String> labels, EngineContext context) {
        if (labels.isEmpty()) {
            return CompletableFuture.completedStage(pr);
        }
        ObjectNode body = ForgeCalls.object();
        labels.forEach(body.putArray("labels")::add);
        return calls.call(
                        "github.add_labels",
                        "POST",
                        calls.url("repos", owner, repository, "issues", pr.id(), "labels"),
                        body,
                        context)
                .thenApply(ignored -> pr);
    }

    private static PullRequest pullRequest(JsonNode json) {
        return new PullRequest(
                ForgeCalls.text(json, "number", "GitHub"),
                ForgeCalls.text(json, "html_url", "GitHub"),
                json.path("draft").asBoolean(false),
                0);
    }
}
