package io.voltworkflow.engines.delivery.gitlab;

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
 * GitLab (gitlab.com or self-managed, API base {@code https://HOST/api/v4}): merge requests, drafts by the
 * {@code Draft:} title prefix GitLab reads, labels (added on update) and commit statuses.
 */
public final class GitLabForge implements Forge {
    public static final String PUBLIC_API = "https://gitlab.com/api/v4";
    static final String DRAFT_PREFIX = "Draft: ";

    private final ForgeCalls calls;
    private final String project;

    /** {@code project} is the project's full path ({@code GROUP/SUBGROUP/NAME}) or its numeric id. */
    public GitLabForge(ForgeCalls calls, String project) {
        this.calls = calls;
        if (project == null || project.isBlank() || project.startsWith("/") || project.endsWith("/")) {
            throw new IllegalArgumentException(
                    "a GitLab project is named by its path GROUP/NAME or its id, got '" + project + "'");
        }
        this.project = project.strip();
    }

    @Override
    public String name() {
        return "GitLab";
    }

    @Override
    public String gitUsername() {
        return "oauth2";
    }

    @Override
    public CompletionStage<Optional<PullRequest>> findOpen(String head, String base, EngineContext context) {
        return calls.call(
                        "gitlab.list_merge_requests",
                        "GET",
                        calls.url("projects", project, "merge_requests")
                                .addQueryParameter("state", "opened")
                                .addQueryParameter("source_branch", head)
                                .addQueryParameter("target_branch", base),
                        null,
                        context)
                .thenApply(list -> list.size() == 0 ? Optional.empty() : Optional.of(mergeRequest(list.get(0))));
    }

    @Override
    public CompletionStage<PullRequest> create(PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("source_branch", spec.head())
                .put("target_branch", spec.base())
                .put("title", (spec.draft() ? DRAFT_PREFIX : "") + spec.title())
                .put("description", spec.body())
                .put("remove_source_branch", false);
        if (!spec.labels().isEmpty()) {
            body.put("labels", String.join(",", spec.labels()));
        }
        return calls.call(
                        "gitlab.create_merge_request",
                        "POST",
                        calls.url("projects", project, "merge_requests"),
                        body,
                        context)
                .thenApply(GitLabForge::mergeRequest);
    }

    @Override
    public CompletionStage<PullRequest> update(PullRequest existing, PullRequestSpec spec, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put("title", (spec.draft() ? DRAFT_PREFIX : "") + spec.title())
                .put("description", spec.body());
        if (!spec.labels().isEmpty()) {
            body.put("add_labels", String.join(",", spec.labels()));
        }
        return calls.call(
                        "gitlab.update_merge_request",
                        "PUT",
                        calls.url("projects", project, "merge_requests", existing.id()),
                        body,
                        context)
                .thenApply(GitLabForge::mergeRequest);
    }

    @Override
    public CompletionStage<Void> reportStatus(String commit, CommitStatus status, EngineContext context) {
        ObjectNode body = ForgeCalls.object()
                .put(
                        "state",
                        switch (status.state()) {
                            case PENDING -> "running";
                            case SUCCESS -> "success";
                            case FAILURE -> "failed";
                        })
                .put("name", status.context())
                .put("description", status.description());
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        return calls.call(
                        "gitlab.create_status",
                        "POST",
                        calls.url("projects", project, "statuses", commit),
                        body,
                        context)
                .thenApply(ignored -> null);
    }

    private static PullRequest mergeRequest(JsonNode json) {
        boolean draft =
                json.path("draft").asBoolean(json.path("work_in_progress").asBoolean(false));
        return new PullRequest(
                ForgeCalls.text(json, "iid", "GitLab"), ForgeCalls.text(json, "web_url", "GitLab"), draft, 0);
    }
}
