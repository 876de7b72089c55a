package io.voltworkflow.server.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.DeliveryEngine;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.delivery.DeliveryOptions;
import io.voltworkflow.engines.delivery.Forge;
import io.voltworkflow.engines.delivery.GitDelivery;
import io.voltworkflow.engines.delivery.TipValidator;
import io.voltworkflow.engines.delivery.forges.ForgeKind;
import io.voltworkflow.engines.delivery.forges.Forges;
import io.voltworkflow.engines.delivery.git.GitIdentity;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.engines.http.HttpTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code delivery} section, with the command line's {@code --deliver…} options on top: where a workflow's result
 * goes. {@code local} (the default) commits to the workflow's branch in the workspace repository; a forge
 * ({@code github}, {@code gitlab}, {@code bitbucket}, {@code bitbucket-datacenter}, {@code gitea}/{@code forgejo})
 * also pushes it and opens a pull request; {@code off} leaves the patches in the workspace only.
 *
 * <pre>{@code
 * delivery:
 *   forge: github
 *   repository: octo/hello
 *   token: {env: GITHUB_TOKEN}
 *   labels: [volt]
 * }</pre>
 */
public final class ConfiguredDelivery implements AutoCloseable {
    public static final String TOKEN_VARIABLE = "VOLT_DELIVERY_TOKEN";
    public static final String LOCAL = "local";
    public static final String OFF = "off";
    /** The web UI's page of a workflow, below the server's base URL. */
    public static final String WORKFLOW_PAGE_PATH = "/#/workflows/{workflowId}";

    static final Set<String> FIELDS = Set.of(
            "forge",
            "repository",
            "apiUrl",
            "remote",
            "baseBranch",
            "branch",
            "labels",
            "workflowPage",
            "token",
            "author");
    /** The fields only a pull request uses, with the command-line option that sets each one. */
    private static final List<Map.Entry<String, String>> PULL_REQUEST_FIELDS = List.of(
            Map.entry("repository", "--deliver-repo"),
            Map.entry("apiUrl", "--deliver-api"),
            Map.entry("token", "--deliver-token-file"),
            Map.entry("labels", "--deliver-labels"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitDelivery engine;
    private final @Nullable HttpTransport transport;
    private final String description;

    private ConfiguredDelivery(GitDelivery engine, @Nullable HttpTransport transport, String description) {
        this.engine = engine;
        this.transport = transport;
        this.description = description;
    }

    /**
     * The delivery {@code section} (possibly missing) and {@code overrides} (field to value, from the command line)
     * describe, for {@code workspace}; empty when delivery is {@code off}. {@code defaultWorkflowPage} is the link
     * to a workflow's page when the section has no {@code workflowPage} (the serving process's own page). Errors
     * name the field.
     */
    public static Optional<ConfiguredDelivery> read(
            JsonNode section,
            Map<String, String> overrides,
            Path workspace,
            Function<String, String> environment,
            Optional<String> defaultWorkflowPage) {
        ObjectNode config =
                section.isMissingNode() || section.isNull() ? JSON.createObjectNode() : requireObject(section);
        boolean forgeOverridden = overrides.containsKey("forge");
        overrides.forEach((field, value) -> {
            if (field.equals("token")) {
                config.putObject("token").put("file", value);
            } else {
                config.put(field, value);
            }
        });
        List<String> unknown = new ArrayList<>();
        config.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "delivery has unknown field(s) " + unknown + "; known: " + new TreeSet<>(FIELDS));
        }
        String forgeId = text(config, "forge").orElse(LOCAL);
        if (forgeId.equals(OFF)) {
            return Optional.empty();
        }
        DeliveryOptions.Builder options = DeliveryOptions.builder(workspace);
        text(config, "baseBranch").ifPresent(options::baseBranch);
        text(config, "branch").ifPresent(options::branchTemplate);
        text(config, "workflowPage").or(() -> defaultWorkflowPage).ifPresent(options::workflowPage);
        options.labels(labels(config.get("labels")));
        JsonNode author = config.get("author");
        if (author != null) {
            options.identity(new GitIdentity(
                    text(requireObject(author), "name").orElse(GitIdentity.DEFAULT.name()),
                    text(author, "email").orElse(GitIdentity.DEFAULT.email())));
        }
        if (forgeId.equals(LOCAL)) {
            refusePullRequestFields(config, overrides, forgeOverridden);
            text(config, "remote").ifPresent(options::remote);
            DeliveryOptions built = build(options);
            return Optional.of(new ConfiguredDelivery(
                    new GitDelivery(built),
                    null,
                    "delivery: commits on branch "
                            + built.branchTemplate() + " in " + workspace
                            + built.remote().map(r -> ", pushed to " + r).orElse("")
                            + " (no pull request; --deliver github|gitlab|bitbucket|gitea opens one)"));
        }
        ForgeKind kind = field("forge", () -> ForgeKind.of(forgeId));
        if (!kind.hasLabels()
                && config.hasNonNull("labels")
                && !labels(config.get("labels")).isEmpty()) {
            throw new IllegalArgumentException("delivery.labels: " + kind.id()
                    + " pull requests have no labels; remove the field (or --deliver-labels)");
        }
        String repository = text(config, "repository")
                .orElseThrow(() -> new IllegalArgumentException(
                        "delivery.repository: required for forge '" + forgeId + "' (e.g. OWNER/NAME; --deliver-repo)"));
        JsonNode tokenSpec = config.get("token");
        CredentialSource token = tokenSpec != null
                ? ConfiguredCredentials.inPlace("delivery.token", tokenSpec, environment)
                : ConfiguredCredentials.inPlace(
                        "delivery token", JSON.createObjectNode().put("env", TOKEN_VARIABLE), environment);
        options.remote(text(config, "remote").orElse("origin"));
        DeliveryOptions built = build(options);
        HttpTransport transport = HttpTransport.create();
        try {
            Forge forge = field(
                    "repository",
                    () -> Forges.create(
                            kind,
                            text(config, "apiUrl").orElse(null),
                            repository,
                            transport,
                            HttpOptions.DEFAULTS,
                            token));
            return Optional.of(new ConfiguredDelivery(
                    new GitDelivery(built, forge, token),
                    transport,
                    "delivery: "
                            + forge.name() + " pull requests for " + repository + " from branch "
                            + built.branchTemplate() + ", pushed to "
                            + built.remote().orElseThrow()));
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /**
     * The delivery engine; with a forge, it validates the branch tip with {@code validation} (the engine the tasks
     * were validated with) before reporting the commit status.
     */
    public DeliveryEngine engine(Optional<ValidationEngine> validation) {
        return validation
                .map(v -> engine.validatingTipWith(TipValidator.inCheckout(v)))
                .orElse(engine);
    }

    /**
     * Refuses, before any workflow starts, what delivery would otherwise find only at completion, after all code
     * generation: a base branch that does not exist (in the workspace, or on the remote a pull request targets), a
     * remote that is not a repository. The error names the branch or remote.
     */
    public void checkBeforeStart() {
        try {
            engine.checkBeforeStart();
        } catch (EngineException e) {
            throw new IllegalArgumentException("delivery: " + e.error().message(), e);
        }
    }

    /** One line for the console: where results go. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (transport != null) {
            transport.close();
        }
    }

    /**
     * {@code local} delivery opens no pull request, so a pull request's settings would be silently ignored: refused,
     * naming the option or field. A file written for a forge may still be run locally with {@code --deliver local},
     * which overrides the file's forge and leaves its pull request fields unused.
     */
    private static void refusePullRequestFields(
            ObjectNode config, Map<String, String> overrides, boolean forgeOverridden) {
        for (Map.Entry<String, String> field : PULL_REQUEST_FIELDS) {
            boolean given = overrides.containsKey(field.getKey());
            boolean inFile = !forgeOverridden
                    && config.hasNonNull(field.getKey())
                    && !(field.getKey().equals("labels")
                            && labels(config.get("labels")).isEmpty());
            if (given || inFile) {
                throw new IllegalArgumentException((given ? field.getValue() : "delivery." + field.getKey())
                        + " applies to pull requests, and local delivery opens none; remove it, or deliver to a forge"
                        + " (--deliver github|gitlab|bitbucket|bitbucket-datacenter|gitea|forgejo)");
            }
        }
    }

    private static DeliveryOptions build(DeliveryOptions.Builder options) {
        return field("options", options::build);
    }

    private static <T> T field(String field, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("delivery." + field + ": " + e.getMessage(), e);
        }
    }

    private static List<String> labels(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> labels = new ArrayList<>();
        if (node.isTextual()) {
            for (String label : node.asText().split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
            return labels;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("delivery.labels: must be a list of label names");
        }
        node.forEach(label -> labels.add(label.asText()));
        return labels;
    }

    private static ObjectNode requireObject(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("delivery: must be an object with fields " + new TreeSet<>(FIELDS));
        }
        return ((ObjectNode) node).deepCopy();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("delivery." + field + ": must be a non-empty string");
        }
        return Optional.of(value.asText().strip());
    }
}
