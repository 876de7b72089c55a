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
 * Bitbucket Cloud (API 2.0): pull requests (drafts natively) and build statuses. Bitbucket has no pull request
 * labels.
 */
public final class BitbucketCloudForge implements Forge {
    public static final String PUBLIC_API = "https://api.bitbucket.org/2.0";

    private final ForgeCalls calls;
    private final String workspace;
    private final String slug;

    /** {@code repository} is {@code WORKSPACE/SLUG}. */
    public BitbucketCloudForge(ForgeCalls calls, String repository) {
        this.calls = calls;
        String[] parts = ForgeCalls.repositoryPath(repository, 2, "a Bitbucket Cloud repository", "WORKSPACE/SLUG");
        this.workspace = parts[0];
        this.slug = parts[1];
    }

    @Override
    public String name() {
        return "Bitbucket Cloud";
    }

    @Override
    public String gitUsername() {
        return "x-token-auth";
    }

    @Override
    public CompletionStage<Optional<PullRequest>> findOpen(String head, String base, EngineContext context) {
        String query =
                "source.branch.name=\"" + head + "\" AND destination.branch.name=\"" + base + "\" AND state=\"OPEN\"";
        return calls.call(
                        "bitbucket.list_pullrequests",
                        "GET",
                        calls.url("repositories", workspace, slug, "pullrequests")
                                .addQueryParameter("q", query),
                        null,
                        context)
                .thenApply(page -> page.path("values").size() == 0
                        ? Optional.empty()
                        : Optional.of(pullRequest(page.path("values").get(0))));
    }

    @Override
    public CompletionStage<PullRequest> create(PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("title", spec.title())
                .put("description", spec.body())
                .put("draft", spec.draft())
                .put("close_source_branch", false);
        body.putObject("source").putObject("branch").put("name", spec.head());
        body.putObject("destination").putObject("branch").put("name", spec.base());
        return calls.call(
                        "bitbucket.create_pullrequest",
                        "POST",
                        calls.url("repositories", workspace, slug, "pullrequests"),
                        body,
                        context)
                .thenApply(BitbucketCloudForge::pullRequest);
    }

    @Override
    public CompletionStage<PullRequest> update(PullRequest existing, PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("title", spec.title())
                .put("description", spec.body())
                .put("draft", spec.draft());
        return calls.call(
                        "bitbucket.update_pullrequest",
                        "PUT",
                        calls.url("repositories", workspace, slug, "pullrequests", existing.id()),
                        body,
                        context)
                .thenApply(BitbucketCloudForge::pullRequest);
    }

    @Override
    public CompletionStage<Void> reportStatus(String commit, CommitStatus status, EngineContext context) {
        // Bitbucket Cloud requires a link; without a workflow page the commit's own page stands in.
        String url = status.targetUrl() != null
                ? status.targetUrl()
                : "https://bitbucket.org/" + workspace + "/" + slug + "/commits/" + commit;
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
                .put("description", status.description())
                .put("url", url);
        return calls.call(
                        "bitbucket.create_build_status",
                        "POST",
                        calls.url("repositories", workspace, slug, "commit", commit, "statuses", "build"),
                        body,
                        context)
                .thenApply(ignored -> null);
    }

    private static PullRequest pullRequest(JsonNode json) {
        JsonNode html = json.path("links").path("html");
        return new PullRequest(
                ForgeCalls.text(json, "id", "Bitbucket Cloud"),
                ForgeCalls.text(html, "href", "Bitbucket Cloud"),
                json.path("draft").asBoolean(false),
                0);
    }
}
