package io.voltworkflow.engines.delivery.gitea;

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
 * Gitea and Forgejo (API base {@code https://HOST/api/v1}): pull requests, drafts by the {@code WIP:} title prefix
 * both read by default, and commit statuses. Labels are not set: their API takes label ids, not names.
 */
public final class GiteaForge implements Forge {
    static final String DRAFT_PREFIX = "WIP: ";
    /** Open pull requests scanned for the workflow's branch (Gitea's maximum page size by default). */
    private static final int PAGE = 50;

    private final ForgeCalls calls;
    private final String owner;
    private final String repository;

    /** {@code repository} is {@code OWNER/NAME}. */
    public GiteaForge(ForgeCalls calls, String repository) {
        this.calls = calls;
        String[] parts = ForgeCalls.repositoryPath(repository, 2, "a Gitea repository", "OWNER/NAME");
        this.owner = parts[0];
        this.repository = parts[1];
    }

    @Override
    public String name() {
        return "Gitea";
    }

    @Override
    public String gitUsername() {
        return "oauth2";
    }

    @Override
    public CompletionStage<Optional<PullRequest>> findOpen(String head, String base, EngineContext context) {
        return calls.call(
                        "gitea.list_pulls",
                        "GET",
                        calls.url("repos", owner, repository, "pulls")
                                .addQueryParameter("state", "open")
                                .addQueryParameter("sort", "recentupdate")
                                .addQueryParameter("limit", String.valueOf(PAGE)),
                        null,
                        context)
                .thenApply(list -> {
                    for (JsonNode pull : list) {
                        if (head.equals(pull.path("head").path("ref").asText())
                                && base.equals(pull.path("base").path("ref").asText())) {
                            return Optional.of(pullRequest(pull));
                        }
                    }
                    return Optional.empty();
                });
    }

    @Override
    public CompletionStage<PullRequest> create(PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("head", spec.head())
                .put("base", spec.base())
                .put("title", (spec.draft() ? DRAFT_PREFIX : "") + spec.title())
                .put("body", spec.body());
        return calls.call("gitea.create_pull", "POST", calls.url("repos", owner, repository, "pulls"), body, context)
                .thenApply(GiteaForge::pullRequest);
    }

    @Override
    public CompletionStage<PullRequest> update(PullRequest existing, PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("title", (existing.draft() ? DRAFT_PREFIX : "") + spec.title())
                .put("body", spec.body());
        return calls.call(
                        "gitea.update_pull",
                        "PATCH",
                        calls.url("repos", owner, repository, "pulls", existing.id()),
                        body,
                        context)
                .thenApply(GiteaForge::pullRequest);
    }

    @Override
    public CompletionStage<Void> reportStatus(String commit, CommitStatus status, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("state", status.passed() ? "success" : "failure")
                .put("context", status.context())
                .put("description", status.description());
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        return calls.call(
                        "gitea.create_status",
                        "POST",
                        calls.url("repos", owner, repository, "statuses", commit),
                        body,
                        context)
                .thenApply(ignored -> null);
    }

    private static PullRequest pullRequest(JsonNode json) {
        boolean draft = json.path("draft").asBoolean(json.path("title").asText().startsWith(DRAFT_PREFIX));
        return new PullRequest(
                ForgeCalls.text(json, "number", "Gitea"), ForgeCalls.text(json, "html_url", "Gitea"), draft, 0);
    }
}
