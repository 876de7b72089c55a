package io.jenkins.plugins.voltworkflow.delivery;

import io.voltworkflow.engines.delivery.DeliveryOptions;
import io.voltworkflow.engines.delivery.forges.ForgeKind;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one workflow delivers, settled when its step starts: the step's values over the global defaults over the
 * job's own repository. Serializable plain data kept in the build with the request; credentials ids only. A
 * {@code null} field means "decide when delivering" (the base branch: the remote's default branch).
 */
public final class DeliverySpec implements Serializable {

    private static final long serialVersionUID = 1L;
    /** {@code git@host:owner/name.git}, the scp-like syntax of SSH remotes. */
    private static final Pattern SCP_LIKE = Pattern.compile("^[^/@:]+@([^/:]+):(.+)$");

    private final String forge;
    private final String repository;
    private final String apiUrl;
    private final String credentialsId;
    private final String remote;
    private final String gitCredentialsId;
    private final String baseBranch;
    private final String branchTemplate;
    private final ArrayList<String> labels;
    private final String workflowPage;

    private DeliverySpec(
            String forge,
            String repository,
            String apiUrl,
            String credentialsId,
            String remote,
            String gitCredentialsId,
            String baseBranch,
            String branchTemplate,
            ArrayList<String> labels,
            String workflowPage) {
        this.forge = forge;
        this.repository = repository;
        this.apiUrl = apiUrl;
        this.credentialsId = credentialsId;
        this.remote = remote;
        this.gitCredentialsId = gitCredentialsId;
        this.baseBranch = baseBranch;
        this.branchTemplate = branchTemplate;
        this.labels = labels;
        this.workflowPage = workflowPage;
    }

    /**
     * The delivery {@code configuration} asks for, completed from the job: {@code environment} (the build's
     * variables: {@code GIT_URL}, {@code CHANGE_TARGET}, {@code BRANCH_NAME}) and {@code checkedOut} (the remote URLs
     * of what the build checked out, first first).
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public static DeliverySpec resolve(
            DeliveryConfiguration configuration,
            Map<String, String> environment,
            List<String> checkedOut,
            String workflowPage) {
        String forge = configuration.getForge() == null
                ? DeliveryConfiguration.PUSH_ONLY
                : configuration.getForge().toLowerCase(java.util.Locale.ROOT);
        ForgeKind kind = forge.equals(DeliveryConfiguration.PUSH_ONLY) ? null : forgeKind(forge);
        String remote = Optional.ofNullable(configuration.getRemote())
                .or(() -> Optional.ofNullable(blankToNull(environment.get("GIT_URL"))))
                .or(() -> checkedOut.stream().findFirst())
                .orElseThrow(() -> new IllegalArgumentException(
                        "deliver: no remote to push to. Give remote: 'https://…/repo.git', or check out the job's "
                                + "repository first (checkout scm) so that delivery goes to it"));
        String base = Optional.ofNullable(configuration.getBaseBranch())
                .or(() -> Optional.ofNullable(blankToNull(environment.get("CHANGE_TARGET"))))
                .or(() -> Optional.ofNullable(blankToNull(environment.get("BRANCH_NAME"))))
                .orElse(null);
        String repository = null;
        String api = configuration.getApiUrl();
        if (kind != null) {
            repository = Optional.ofNullable(configuration.getRepository())
                    .or(() -> repositoryPath(remote))
                    .orElseThrow(() -> new IllegalArgumentException("deliver: repository is required for forge '"
                            + forge + "' (OWNER/NAME); it cannot be read from the remote " + remote));
            if (api == null) {
                api = apiUrlFor(kind, remote).orElse(null);
            }
            if (api == null && kind.publicApi().isEmpty()) {
                throw new IllegalArgumentException("deliver: apiUrl is required for the self-hosted forge '" + forge
                        + "' (e.g. https://HOST/api/v1 for Gitea, https://HOST for Bitbucket Data Center)");
            }
        }
        ArrayList<String> labels = new ArrayList<>();
        if (configuration.getLabels() != null) {
            Arrays.stream(configuration.getLabels().split(","))
                    .map(String::strip)
                    .filter(label -> !label.isEmpty())
                    .forEach(labels::add);
        }
        String template =
                configuration.getBranch() == null ? DeliveryOptions.DEFAULT_BRANCH_TEMPLATE : configuration.getBranch();
        DeliverySpec spec = new DeliverySpec(
                forge,
                repository,
                api,
                configuration.getCredentialsId(),
                remote,
                configuration.getGitCredentialsId(),
                base,
                template,
                labels,
                workflowPage);
        if (kind != null && spec.credentialsId == null) {
            throw new IllegalArgumentException("deliver: credentialsId is required for forge '" + forge
                    + "': the id of a Secret text (or Username with password) credential holding its API token");
        }
        spec.options(Path.of("."), base == null ? "main" : base); // the engines' checks: branch, base, remote, labels
        return spec;
    }

    private static ForgeKind forgeKind(String forge) {
        try {
            return ForgeKind.of(forge);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "deliver: " + e.getMessage() + ", " + DeliveryConfiguration.PUSH_ONLY + " (push only)");
        }
    }

    /** {@code owner/name} of a remote URL: {@code https://host/owner/name.git}, {@code git@host:owner/name.git}. */
    static Optional<String> repositoryPath(String remote) {
        String path;
        Matcher scp = SCP_LIKE.matcher(remote);
        if (scp.matches()) {
            path = scp.group(2);
        } else {
            try {
                URI uri = URI.create(remote);
                if (uri.getHost() == null || uri.getPath() == null) {
                    return Optional.empty();
                }
                path = uri.getPath();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        path = path.replaceAll("^/+", "").replaceAll("/+$", "").replaceAll("\\.git$", "");
        if (path.startsWith("scm/")) { // Bitbucket Data Center's clone URLs: /scm/PROJECT/slug.git
            path = path.substring("scm/".length());
        }
        return path.contains("/") ? Optional.of(path) : Optional.empty();
    }

    /** The API of a self-hosted forge, from the host of its remote; empty for the public services and paths. */
    static Optional<String> apiUrlFor(ForgeKind kind, String remote) {
        Matcher scp = SCP_LIKE.matcher(remote);
        String host;
        if (scp.matches()) {
            host = scp.group(1);
        } else {
            try {
                host = URI.create(remote).getHost();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (host == null) {
            return Optional.empty();
        }
        String publicHost = kind.publicApi()
                .map(api -> URI.create(api).getHost().replaceFirst("^api\\.", ""))
                .orElse("");
        if (host.equals(publicHost) || ("api." + host).equals(publicHost) || publicHost.endsWith("." + host)) {
            return Optional.empty();
        }
        return Optional.of(
                switch (kind) {
                    case GITHUB -> "https://" + host + "/api/v3";
                    case GITLAB -> "https://" + host + "/api/v4";
                    case GITEA -> "https://" + host + "/api/v1";
                    case BITBUCKET_DATA_CENTER, BITBUCKET -> "https://" + host;
                });
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The engines' options for delivering from the private repository {@code directory}, starting at {@code base}. */
    public DeliveryOptions options(Path directory, String base) {
        DeliveryOptions.Builder builder = DeliveryOptions.builder(directory)
                .baseBranch(base)
                .branchTemplate(branchTemplate)
                .remote(remote)
                .labels(labels);
        if (workflowPage != null) {
            builder.workflowPage(workflowPage);
        }
        return builder.build();
    }

    /** The forge's kind; empty when delivery only pushes. */
    public Optional<ForgeKind> forgeKind() {
        return forge.equals(DeliveryConfiguration.PUSH_ONLY) ? Optional.empty() : Optional.of(ForgeKind.of(forge));
    }

    public String forge() {
        return forge;
    }

    public String repository() {
        return repository;
    }

    public String apiUrl() {
        return apiUrl;
    }

    public String credentialsId() {
        return credentialsId;
    }

    public String remote() {
        return remote;
    }

    /** The credential git pushes with; {@code null}: the forge's token, else the controller's own git setup. */
    public String gitCredentialsId() {
        return gitCredentialsId;
    }

    public String baseBranch() {
        return baseBranch;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeliverySpec that
                && forge.equals(that.forge)
                && Objects.equals(repository, that.repository)
                && Objects.equals(apiUrl, that.apiUrl)
                && Objects.equals(credentialsId, that.credentialsId)
                && remote.equals(that.remote)
                && Objects.equals(gitCredentialsId, that.gitCredentialsId)
                && Objects.equals(baseBranch, that.baseBranch)
                && branchTemplate.equals(that.branchTemplate)
                && labels.equals(that.labels)
                && Objects.equals(workflowPage, that.workflowPage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(forge, repository, apiUrl, credentialsId, remote, baseBranch, branchTemplate);
    }

    @Override
    public String toString() {
        return (forgeKind().isPresent() ? forge + " pull request for " + repository + ", " : "") + "branch "
                + branchTemplate + " pushed to " + remote;
    }
}
