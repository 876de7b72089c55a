package io.voltworkflow.engines.delivery;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.engines.delivery.git.GitIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where and how a workflow's result is delivered. {@code repository} is the workspace's git repository; the branch
 * ({@code branchTemplate}, {@code {workflowId}} replaced) starts at {@code baseBranch} (the repository's current
 * branch when empty). With a {@code remote} (a URL or a remote's name) the branch is pushed there; without one it
 * stays local. {@code workflowPage} ({@code {workflowId}} replaced) is linked from the pull request and the
 * commit status.
 */
public record DeliveryOptions(
        Path repository,
        Optional<String> baseBranch,
        String branchTemplate,
        Optional<String> remote,
        GitIdentity identity,
        List<String> labels,
        Optional<String> workflowPage,
        String statusContext) {

    public static final String WORKFLOW_ID = "{workflowId}";
    public static final String DEFAULT_BRANCH_TEMPLATE = "volt/" + WORKFLOW_ID;
    public static final String DEFAULT_STATUS_CONTEXT = "volt-workflow/validation";
    private static final Pattern BAD_BRANCH =
            Pattern.compile("(^[-/.])|(\\.\\.)|([\\s~^:?*\\[\\\\])|(@\\{)|(//)|([/.]$)|(\\.lock$)");

    public DeliveryOptions {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(baseBranch, "baseBranch");
        Objects.requireNonNull(branchTemplate, "branchTemplate");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(identity, "identity");
        labels = List.copyOf(labels == null ? List.of() : labels);
        Objects.requireNonNull(workflowPage, "workflowPage");
        Objects.requireNonNull(statusContext, "statusContext");
        if (!branchTemplate.contains(WORKFLOW_ID)) {
            throw new IllegalArgumentException("the branch template '" + branchTemplate + "' must contain "
                    + WORKFLOW_ID + ", so that every workflow gets its own branch");
        }
        requireBranchName(branchTemplate.replace(WORKFLOW_ID, "id"), "the branch template '" + branchTemplate + "'");
        baseBranch.ifPresent(base -> requireBranchName(base, "the base branch"));
        remote.ifPresent(r -> {
            if (r.isBlank() || r.startsWith("-")) {
                throw new IllegalArgumentException(
                        "the remote must be a URL, a path or a remote's name, got '" + r + "'");
            }
        });
        labels.forEach(label -> {
            if (label.isBlank()) {
                throw new IllegalArgumentException("labels must not be blank");
            }
        });
    }

    public static Builder builder(Path repository) {
        return new Builder(repository);
    }

    /** The branch of {@code workflow}. */
    public String branch(WorkflowId workflow) {
        return branchTemplate.replace(WORKFLOW_ID, workflow.value());
    }

    public Optional<String> workflowPage(WorkflowId workflow) {
        return workflowPage.map(page -> page.replace(WORKFLOW_ID, workflow.value()));
    }

    private static void requireBranchName(String name, String what) {
        if (name.isBlank() || BAD_BRANCH.matcher(name).find()) {
            throw new IllegalArgumentException(what + " is not a valid git branch name: '" + name + "'");
        }
    }

    public static final class Builder {
        private final Path repository;
        private @Nullable String baseBranch;
        private String branchTemplate = DEFAULT_BRANCH_TEMPLATE;
        private @Nullable String remote;
        private GitIdentity identity = GitIdentity.DEFAULT;
        private List<String> labels = List.of();
        private @Nullable String workflowPage;
        private String statusContext = DEFAULT_STATUS_CONTEXT;

        private Builder(Path repository) {
            this.repository = repository;
        }

        public Builder baseBranch(@Nullable String baseBranch) {
            this.baseBranch = baseBranch;
            return this;
        }

        public Builder branchTemplate(String branchTemplate) {
            this.branchTemplate = branchTemplate;
            return this;
        }

        public Builder remote(@Nullable String remote) {
            this.remote = remote;
            return this;
        }

        public Builder identity(GitIdentity identity) {
            this.identity = identity;
            return this;
        }

        public Builder labels(List<String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder workflowPage(@Nullable String workflowPage) {
            this.workflowPage = workflowPage;
            return this;
        }

        public Builder statusContext(String statusContext) {
            this.statusContext = statusContext;
            return this;
        }

        public DeliveryOptions build() {
            return new DeliveryOptions(
                    repository,
                    Optional.ofNullable(baseBranch),
                    branchTemplate,
                    Optional.ofNullable(remote),
                    identity,
                    labels,
                    Optional.ofNullable(workflowPage),
                    statusContext);
        }
    }
}
