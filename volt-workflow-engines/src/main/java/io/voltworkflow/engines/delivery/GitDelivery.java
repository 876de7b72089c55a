package io.voltworkflow.engines.delivery;

import io.voltworkflow.core.engine.DeliveryEngine;
import io.voltworkflow.core.engine.DeliveryRequest;
import io.voltworkflow.core.engine.DeliveryRequest.DeliveredTask;
import io.voltworkflow.core.engine.DeliveryResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.delivery.git.GitAccess;
import io.voltworkflow.engines.delivery.git.GitRepository;
import io.voltworkflow.engines.delivery.git.GitRepository.TrailedCommit;
import io.voltworkflow.engines.internal.CheckContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a workflow as commits on its own branch, pushed to a remote, with one pull request on a forge. Each task's
 * patch becomes one commit whose trailers name the workflow and the task; the branch only ever moves by
 * compare-and-swap and is pushed only as a fast-forward. Every stage first looks at what exists (commits by trailer,
 * the remote branch, the open pull request for the branch), so a delivery repeated after a crash finishes the work
 * instead of doing it twice. A branch holding commits this workflow did not make is never touched.
 */
public final class GitDelivery implements DeliveryEngine {
    public static final String WORKFLOW_TRAILER = "Volt-Workflow-Id";
    public static final String TASK_TRAILER = "Volt-Task-Id";
    private static final String FETCHED = "refs/volt/delivery/";

    private final DeliveryOptions options;
    private final GitRepository repository;
    private final @Nullable Forge forge;
    private final CredentialSource credentials;
    private final @Nullable GitAccess gitAccess;
    private final @Nullable TipValidator tipValidator;

    /** Commits and, with a remote in the options, pushes; no pull request. */
    public GitDelivery(DeliveryOptions options) {
        this(options, null, CredentialSource.NONE);
    }

    /**
     * Commits, pushes to the options' remote and opens or updates a pull request on {@code forge}; {@code credentials}
     * are the forge token, also used for HTTPS pushes.
     */
    public GitDelivery(DeliveryOptions options, @Nullable Forge forge, CredentialSource credentials) {
        this(options, forge, credentials, null);
    }

    /**
     * As {@link #GitDelivery(DeliveryOptions, Forge, CredentialSource)}, but pushes and fetches with {@code gitAccess}
     * (a host's own git credentials) instead of the forge token; {@code forge} may be null (push only).
     */
    public GitDelivery(
            DeliveryOptions options,
            @Nullable Forge forge,
            CredentialSource credentials,
            @Nullable GitAccess gitAccess) {
        this(options, forge, credentials, gitAccess, null);
    }

    private GitDelivery(
            DeliveryOptions options,
            @Nullable Forge forge,
            CredentialSource credentials,
            @Nullable GitAccess gitAccess,
            @Nullable TipValidator tipValidator) {
        this.options = Objects.requireNonNull(options, "options");
        this.repository = new GitRepository(options.repository(), options.identity());
        this.forge = forge;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.gitAccess = gitAccess;
        this.tipValidator = tipValidator;
        if (forge != null && options.remote().isEmpty()) {
            throw new IllegalArgumentException("delivery to " + forge.name() + " needs a remote to push the branch to");
        }
    }

    /**
     * This delivery, validating the branch tip with {@code validator} before it reports the commit status: where the
     * tasks were validated (a host's agent, say), all tasks together. When it cannot, the tip's files are compared
     * with the validated workspace.
     */
    public GitDelivery validatingTipWith(TipValidator validator) {
        return new GitDelivery(options, forge, credentials, gitAccess, Objects.requireNonNull(validator, "validator"));
    }

    @Override
    public CompletionStage<DeliveryResult> deliver(DeliveryRequest request, EngineContext context) {
        return CompletableFuture.supplyAsync(() -> branch(request, context), context.blockingExecutor())
                .thenCompose(branch -> {
                    String head = branch.head();
                    Forge to = forge;
                    return to == null || head == null
                            ? CompletableFuture.completedStage(localResult(branch))
                            : checkTip(to, branch, head, context)
                                    .thenCompose(check -> pullRequest(to, request, branch, head, check, context));
                });
    }

    /**
     * The branch after this delivery: the commit it starts from ({@code base}, null for a root commit), its head
     * (null when nothing was committed) and each task's commit.
     */
    record Branch(
            String name,
            @Nullable String baseName,
            @Nullable String base,
            @Nullable String head,
            Map<String, String> commits,
            int created,
            boolean pushed) {}

    private Branch branch(DeliveryRequest request, EngineContext context) {
        WorkflowId workflow = context.workflowId();
        String name = options.branch(workflow);
        String ref = "refs/heads/" + name;
        String baseName = baseName(context);
        String base = base(baseName, context);
        GitAccess access = access();
        Optional<String> tip = repository.resolve(ref, context);
        if (tip.isEmpty() && options.remote().isPresent()) {
            tip = adoptRemoteBranch(name, ref, base, access, context);
        }
        Map<String, String> commits = new LinkedHashMap<>();
        if (tip.isPresent()) {
            List<TrailedCommit> existing = repository.commits(base, tip.get(), context);
            requireOwn(existing, name, "in " + repository.directory(), workflow);
            existing.forEach(c -> commits.put(c.trailers().get(TASK_TRAILER), c.sha()));
        }
        String head = tip.orElse(null);
        int created = 0;
        for (DeliveredTask task : request.tasks()) {
            String id = task.task().id();
            if (task.code() == null || task.code().patch().isBlank()) {
                continue;
            }
            if (commits.containsKey(id)) {
                context.progress(
                        "task " + id + " is already committed as " + shortSha(commits.get(id)) + " on " + name);
                continue;
            }
            String parent = head == null ? base : head;
            Optional<String> commit =
                    repository.commitPatch(parent, task.code().patch(), CommitMessages.of(task, workflow), context);
            if (commit.isEmpty()) {
                context.progress("task " + id + " changes nothing on " + name + "; no commit");
                continue;
            }
            if (!repository.compareAndSet(ref, commit.get(), head, context)) {
                throw new EngineException(StepError.retryable(
                        StepError.ENGINE_ERROR,
                        "branch " + name + " moved while this workflow was committing to it; delivering again"));
            }
            head = commit.get();
            commits.put(id, head);
            created++;
            context.progress("committed task " + id + " as " + shortSha(head) + " on " + name);
        }
        boolean pushed = head != null && options.remote().isPresent() && push(name, head, access, context);
        return new Branch(name, baseName, base, head, commits, created, pushed);
    }

    /**
     * Checks what delivery would otherwise find only at completion, after all code generation: the base branch exists
     * in the repository and, when the branch is pushed, the remote answers; a pull request's base branch must also
     * exist on the remote. Throws an {@link EngineException} naming the branch and where it is missing; a remote that
     * cannot be reached for a reason that may pass (the network) is not a refusal, since completion retries.
     */
    public void checkBeforeStart() {
        try (CheckContext context = new CheckContext("delivery check")) {
            String baseName = baseName(context);
            base(baseName, context);
            Optional<String> remote = options.remote();
            if (remote.isEmpty()) {
                return;
            }
            Optional<String> remoteBase;
            try {
                remoteBase = baseName == null
                        ? Optional.empty()
                        : repository.remoteTip(remote.get(), baseName, access(), context);
            } catch (EngineException e) {
                if (e.error().retryable()) {
                    return;
                }
                throw e;
            }
            if (forge != null && baseName != null && remoteBase.isEmpty()) {
                throw new EngineException(StepError.recoverable(
                        StepError.INVALID_INPUT,
                        "the base branch '" + baseName + "' does not exist on the remote " + remote.get()
                                + "; the pull request targets it. Push it there or choose another base branch"));
            }
        }
    }

    /** The branch delivery starts from: the configured one, else the repository's current branch. */
    private @Nullable String baseName(EngineContext context) {
        return options.baseBranch().or(() -> repository.currentBranch(context)).orElse(null);
    }

    /** The commit {@code baseName} points at; null only in a repository with no commits (the branch is a root). */
    private @Nullable String base(@Nullable String baseName, EngineContext context) {
        String base = baseName == null
                ? null
                : repository.resolve("refs/heads/" + baseName, context).orElse(null);
        if (base == null && repository.hasCommits(context)) {
            throw new EngineException(StepError.recoverable(
                    StepError.INVALID_INPUT,
                    "the base branch "
                            + (baseName == null ? "(HEAD is detached; configure one)" : "'" + baseName + "'")
                            + " does not exist in "
                            + repository.directory()));
        }
        return base;
    }

    /** A branch this workflow pushed from another workspace (or before this one lost it) is continued, not redone. */
    private Optional<String> adoptRemoteBranch(
            String name, String ref, @Nullable String base, GitAccess access, EngineContext context) {
        String remote = options.remote().orElseThrow();
        if (repository.remoteTip(remote, name, access, context).isEmpty()) {
            return Optional.empty();
        }
        repository.fetch(remote, name, FETCHED + name, access, context);
        String fetched = repository.resolve(FETCHED + name, context).orElseThrow();
        requireOwn(repository.commits(base, fetched, context), name, "on " + remote, context.workflowId());
        if (!repository.compareAndSet(ref, fetched, null, context)) {
            throw new EngineException(StepError.retryable(
                    StepError.ENGINE_ERROR,
                    "branch " + name + " appeared while this workflow was fetching it; delivering again"));
        }
        context.progress("continuing branch " + name + " as pushed to " + remote);
        return Optional.of(fetched);
    }

    /** Pushes as a fast-forward; false when the remote has {@code head} already. */
    private boolean push(String name, String head, GitAccess access, EngineContext context) {
        String remote = options.remote().orElseThrow();
        Optional<String> remoteTip = repository.remoteTip(remote, name, access, context);
        if (remoteTip.isPresent() && remoteTip.get().equals(head)) {
            context.progress("branch " + name + " is up to date on " + remote);
            return false;
        }
        if (remoteTip.isPresent()) {
            repository.fetch(remote, name, FETCHED + name, access, context);
            if (!repository.isAncestor(remoteTip.get(), head, context)) {
                throw new EngineException(StepError.recoverable(
                        StepError.INVALID_INPUT,
                        "branch " + name + " on " + remote
                                + " has commits that are not on this workflow's branch; it is left as it is (never force-pushed). "
                                + "Delete or rename it there, or choose another branch name"));
            }
        }
        try {
            repository.push(remote, head, name, access, context);
        } catch (EngineException refused) {
            // A run killed while pushing leaves its git push going: when that push of the same commit lands first,
            // this one is refused ("cannot lock ref … reference already exists"), and yet the branch is where it
            // should be.
            if (!repository.remoteTip(remote, name, access, context).equals(Optional.of(head))) {
                throw refused;
            }
            context.progress("branch " + name + " is up to date on " + remote);
            return false;
        }
        context.progress("pushed " + name + " (" + shortSha(head) + ") to " + remote);
        return true;
    }

    private void requireOwn(List<TrailedCommit> commits, String name, String where, WorkflowId workflow) {
        for (TrailedCommit commit : commits) {
            if (!workflow.value().equals(commit.trailers().get(WORKFLOW_TRAILER))) {
                throw new EngineException(StepError.recoverable(
                        StepError.INVALID_INPUT,
                        "branch " + name + " " + where
                                + " has commit " + shortSha(commit.sha()) + " that workflow " + workflow
                                + " did not make; it is left as "
                                + "it is. Delete or rename that branch, or choose another branch name"));
            }
        }
    }

    /**
     * What the commit status reports: the tip validated in a clean checkout of the pushed commit (after the push, so
     * the status goes on the exact commit the forge shows, and a pending status tells reviewers it is running), or,
     * when no engine can validate a checkout, the tip's files compared with the validated workspace. Nothing of it is
     * kept between attempts: a delivery repeated after a crash validates again and reports pending, then the verdict,
     * so the last status on the commit is always that of a validation that finished.
     */
    private CompletionStage<TipCheck> checkTip(Forge forge, Branch branch, String head, EngineContext context) {
        TipValidator validator = tipValidator;
        if (validator == null) {
            return compareTip(branch, head, context);
        }
        CommitStatus pending = new CommitStatus(
                CommitStatus.State.PENDING,
                options.statusContext(),
                "validating the tip " + shortSha(head) + " in a clean checkout",
                options.workflowPage(context.workflowId()).orElse(null));
        return forge.reportStatus(head, pending, context)
                .thenCompose(ignored -> CompletableFuture.supplyAsync(
                        () -> new TipValidator.Tip(
                                repository,
                                branch.name(),
                                branch.base(),
                                head,
                                repository.changedFiles(branch.base(), head, context)),
                        context.blockingExecutor()))
                .thenCompose(tip -> validator.validate(tip, context))
                .thenCompose(result -> result.isPresent()
                        ? CompletableFuture.completedStage(new TipCheck.Validated(result.get()))
                        : compareTip(branch, head, context));
    }

    private CompletionStage<TipCheck> compareTip(Branch branch, String head, EngineContext context) {
        return CompletableFuture.supplyAsync(
                () -> new TipCheck.Compared(repository.differencesFromWorkingTree(branch.base(), head, context)),
                context.blockingExecutor());
    }

    private CompletionStage<DeliveryResult> pullRequest(
            Forge forge, DeliveryRequest request, Branch branch, String head, TipCheck check, EngineContext context) {
        boolean ready = request.allValidated() && check.passed();
        Optional<String> page = options.workflowPage(context.workflowId());
        PullRequestSpec spec = new PullRequestSpec(
                branch.name(),
                Objects.requireNonNull(branch.baseName(), "base branch"),
                PullRequestText.title(request),
                PullRequestText.body(request, context.workflowId(), branch.commits(), head, check, page.orElse(null)),
                !ready,
                options.labels());
        if (check instanceof TipCheck.Compared compared && !compared.passed()) {
            context.progress("the tip of " + branch.name() + " differs from the validated workspace in "
                    + String.join(", ", compared.differing()));
        }
        CommitStatus status = new CommitStatus(
                ready ? CommitStatus.State.SUCCESS : CommitStatus.State.FAILURE,
                options.statusContext(),
                PullRequestText.validationLine(request, head, check),
                page.orElse(null));
        ValidationResult tip = check instanceof TipCheck.Validated validated ? validated.result() : null;
        return forge.reportStatus(head, status, context)
                .thenCompose(ignored -> openOrUpdate(forge, spec, context))
                .thenCompose(pr -> forge.label(pr, spec.labels(), context))
                .thenApply(pr -> {
                    context.progress((pr.draft() ? "draft " : "") + "pull request " + pr.url() + " on " + forge.name());
                    return new DeliveryResult(
                            branch.name(),
                            head,
                            pr.url(),
                            pr.draft(),
                            describe(branch) + "; " + (pr.draft() ? "draft " : "") + "pull request " + pr.url(),
                            tip);
                });
    }

    /** One request per branch: an open one is updated; a create that finds one opened meanwhile (409, 422) adopts it. */
    private CompletionStage<PullRequest> openOrUpdate(Forge forge, PullRequestSpec spec, EngineContext context) {
        return forge.findOpen(spec.head(), spec.base(), context)
                .thenCompose(open -> open.isPresent()
                        ? forge.update(open.get(), spec, context)
                        : forge.create(spec, context).exceptionallyCompose(error -> {
                            Throwable cause = ForgeCalls.cause(error);
                            if (ForgeCalls.isConflict(cause)) {
                                return forge.findOpen(spec.head(), spec.base(), context)
                                        .thenCompose(found -> found.map(pr -> forge.update(pr, spec, context))
                                                .orElseGet(() -> CompletableFuture.failedStage(cause)));
                            }
                            return CompletableFuture.failedStage(cause);
                        }));
    }

    private DeliveryResult localResult(Branch branch) {
        if (branch.head() == null) {
            return new DeliveryResult(
                    branch.name(), "", null, false, "no changes to deliver; branch " + branch.name() + " not created");
        }
        return new DeliveryResult(branch.name(), branch.head(), null, false, describe(branch));
    }

    private String describe(Branch branch) {
        return "branch " + branch.name() + " (" + branch.commits().size() + " commit"
                + (branch.commits().size() == 1 ? "" : "s") + ") in " + repository.directory()
                + options.remote().map(remote -> ", pushed to " + remote).orElse("");
    }

    private GitAccess access() {
        if (gitAccess != null) {
            return gitAccess;
        }
        if (forge == null) {
            return GitAccess.AMBIENT;
        }
        return GitAccess.of(CredentialSource.resolve(credentials, forge.name()), forge.gitUsername());
    }

    static String shortSha(String sha) {
        return sha.length() > 10 ? sha.substring(0, 10) : sha;
    }
}
