package io.voltworkflow.engines.delivery.gitea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.engines.delivery.CommitStatus;
import io.voltworkflow.engines.delivery.Forge;
import io.voltworkflow.engines.delivery.ForgeCalls;
import io.voltworkflow.engines.delivery.PullRequest;
import io.voltworkflow.engines.delivery.PullRequestSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Gitea and Forgejo (API base {@code https://HOST/api/v1}): pull requests, drafts by the {@code WIP:} title prefix
 * both read by default, labels and commit statuses. Their API adds labels to a pull request by id, so the names are
 * looked up among the repository's labels first, and a label the repository lacks is created (a create that finds it
 * made meanwhile, 409 or 422, looks again); labels are added, never removed.
 */
public final class GiteaForge implements Forge {
    static final String DRAFT_PREFIX = "WIP: ";
    /** Open pull requests scanned for the workflow's branch (Gitea's maximum page size by default). */
    private static final int PAGE = 50;
    /** Pages of the repository's labels read at most when looking names up. */
    private static final int MAX_LABEL_PAGES = 20;
    /** The colour of a label delivery creates: the API requires one. */
    static final String LABEL_COLOR = "#ededed";

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
                .put("title", (spec.draft() ? DRAFT_PREFIX : "") + spec.title())
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
                        "gitea.create_status",
                        "POST",
                        calls.url("repos", owner, repository, "statuses", commit),
                        body,
                        context)
                .thenApply(ignored -> null);
    }

    /** Adds {@code labels} to {@code pr} by id, creating those the repository does not have. */
    @Override
    public CompletionStage<PullRequest> label(PullRequest pr, List<String> labels, EngineContext context) {
        if (labels.isEmpty()) {
            return CompletableFuture.completedStage(pr);
        }
        return labelIds(labels, context).thenCompose(ids -> {
            ObjectNode body = ForgeCalls.object();
            ArrayNode array = body.putArray("labels");
            ids.forEach(array::add);
            return calls.call(
                            "gitea.add_labels",
                            "POST",
                            calls.url("repos", owner, repository, "issues", pr.id(), "labels"),
                            body,
                            context)
                    .thenApply(ignored -> pr);
        });
    }

    private CompletionStage<List<Long>> labelIds(List<String> names, EngineContext context) {
        return existingLabels(1, new LinkedHashMap<>(), context).thenCompose(existing -> {
            CompletionStage<List<Long>> ids = CompletableFuture.completedStage(new ArrayList<>());
            for (String name : names) {
                ids = ids.thenCompose(found -> idOf(name, existing, context).thenApply(id -> {
                    found.add(id);
                    return found;
                }));
            }
            return ids;
        });
    }

    /** The repository's labels by name, page by page until a short page. */
    private CompletionStage<Map<String, Long>> existingLabels(
            int page, Map<String, Long> found, EngineContext context) {
        return calls.call(
                        "gitea.list_labels",
                        "GET",
                        calls.url("repos", owner, repository, "labels")
                                .addQueryParameter("page", String.valueOf(page))
                                .addQueryParameter("limit", String.valueOf(PAGE)),
                        null,
                        context)
                .thenCompose(list -> {
                    list.forEach(label -> found.putIfAbsent(
                            ForgeCalls.text(label, "name", "Gitea"),
                            label.path("id").asLong()));
                    return list.size() < PAGE || page >= MAX_LABEL_PAGES
                            ? CompletableFuture.completedStage(found)
                            : existingLabels(page + 1, found, context);
                });
    }

    private CompletionStage<Long> idOf(String name, Map<String, Long> existing, EngineContext context) {
        Long id = existing.get(name);
        if (id != null) {
            return CompletableFuture.completedStage(id);
        }
        ObjectNode body = ForgeCalls.object()
                .put("name", name)
                .put("color", LABEL_COLOR)
                .put("description", "Added by Volt Workflow");
        return calls.call("gitea.create_label", "POST", calls.url("repos", owner, repository, "labels"), body, context)
                .thenApply(label -> {
                    long created = label.path("id").asLong();
                    existing.put(name, created);
                    return created;
                })
                .exceptionallyCompose(error -> {
                    Throwable cause = ForgeCalls.cause(error);
                    if (!ForgeCalls.isConflict(cause)) {
                        return CompletableFuture.failedStage(cause);
                    }
                    // Made meanwhile (another workflow labelling at the same time): take the one that exists now.
                    return existingLabels(1, new LinkedHashMap<>(), context)
                            .thenCompose(again -> again.containsKey(name)
                                    ? CompletableFuture.completedStage(again.get(name))
                                    : CompletableFuture.failedStage(cause));
                });
    }

    private static PullRequest pullRequest(JsonNode json) {
        boolean draft = json.path("draft").asBoolean(json.path("title").asText().startsWith(DRAFT_PREFIX));
        return new PullRequest(
                ForgeCalls.text(json, "number", "Gitea"), ForgeCalls.text(json, "html_url", "Gitea"), draft, 0);
    }
}
