package io.voltworkflow.engines.delivery.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.engines.delivery.CommitStatus;
import io.voltworkflow.engines.delivery.Forge;
import io.voltworkflow.engines.delivery.ForgeCalls;
import io.voltworkflow.engines.delivery.PullRequest;
import io.voltworkflow.engines.delivery.PullRequestSpec;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Bitbucket Data Center and Server (API base {@code https://HOST[/CONTEXT]}): pull requests through
 * {@code /rest/api/1.0} (drafts on 8.18 and later; updates carry the version the server last returned) and build
 * statuses through {@code /rest/build-status/1.0}. Bitbucket has no pull request labels.
 */
public final class BitbucketDataCenterForge implements Forge {
    private final ForgeCalls calls;
    private final String projectKey;
    private final String slug;

    /** {@code repository} is {@code PROJECT/SLUG}. */
    public BitbucketDataCenterForge(ForgeCalls calls, String repository) {
        this.calls = calls;
        String[] parts = ForgeCalls.repositoryPath(repository, 2, "a Bitbucket Data Center repository", "PROJECT/SLUG");
        this.projectKey = parts[0];
        this.slug = parts[1];
    }

    @Override
    public String name() {
        return "Bitbucket Data Center";
    }

    @Override
    public String gitUsername() {
        return "x-token-auth";
    }

    @Override
    public CompletionStage<Optional<PullRequest>> findOpen(String head, String base, EngineContext context) {
        return calls.call(
                        "bitbucket.list_pull_requests",
                        "GET",
                        pullRequests()
                                .addQueryParameter("state", "OPEN")
                                .addQueryParameter("direction", "OUTGOING")
                                .addQueryParameter("at", "refs/heads/" + head),
                        null,
                        context)
                .thenApply(page -> {
                    for (JsonNode pull : page.path("values")) {
                        if (("refs/heads/" + base)
                                .equals(pull.path("toRef").path("id").asText())) {
                            return Optional.of(pullRequest(pull));
                        }
                    }
                    return Optional.empty();
                });
    }

    @Override
    public CompletionStage<PullRequest> create(PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object().put("title", spec.title()).put("description", spec.body());
        if (spec.draft()) {
            body.put("draft", true);
        }
        ref(body.putObject("fromRef"), spec.head());
        ref(body.putObject("toRef"), spec.base());
        return calls.call("bitbucket.create_pull_request", "POST", pullRequests(), body, context)
                .thenApply(BitbucketDataCenterForge::pullRequest);
    }

    @Override
    public CompletionStage<PullRequest> update(PullRequest existing, PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("version", existing.version())
                .put("title", spec.title())
                .put("description", spec.body());
        if (existing.draft() != spec.draft()) {
            // Only a change is sent: servers before 8.18 know no drafts, and never have one to change.
            body.put("draft", spec.draft());
        }
        return calls.call(
                        "bitbucket.update_pull_request",
                        "PUT",
                        pullRequests().addPathSegment(existing.id()),
                        body,
                        context)
                .thenApply(BitbucketDataCenterForge::pullRequest);
    }

    @Override
    public CompletionStage<Void> reportStatus(String commit, CommitStatus status, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("key", status.context())
                .put("name", status.context())
                .put(
                        "state",
                        switch (status.state()) {
                            case PENDING -> "INPROGRESS";
                            case SUCCESS -> "SUCCESSFUL";
                            case FAILURE -> "FAILED";
                        })
                .put("description", status.description());
        if (status.targetUrl() != null) {
            body.put("url", status.targetUrl());
        }
        return calls.call(
                        "bitbucket.create_build_status",
                        "POST",
                        calls.url("rest", "build-status", "1.0", "commits", commit),
                        body,
                        context)
                .thenApply(ignored -> null);
    }

    private okhttp3.HttpUrl.Builder pullRequests() {
        return calls.url("rest", "api", "1.0", "projects", projectKey, "repos", slug, "pull-requests");
    }

    private void ref(ObjectNode ref, String branch) {
        ref.put("id", "refs/heads/" + branch);
        ObjectNode repository = ref.putObject("repository").put("slug", slug);
        repository.putObject("project").put("key", projectKey);
    }

    private static PullRequest pullRequest(JsonNode json) {
        JsonNode self = json.path("links").path("self").path(0);
        return new PullRequest(
                ForgeCalls.text(json, "id", "Bitbucket Data Center"),
                ForgeCalls.text(self, "href", "Bitbucket Data Center"),
                json.path("draft").asBoolean(false),
                json.path("version").asLong(0));
    }
}
