package io.jenkins.plugins.voltworkflow.engine;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured engine: which role it serves, how to reach it and which credentials to use. Holds only the
 * credentials' id, never a secret, so it can be stored in the Pipeline program, in build.xml and in the step's
 * arguments. A plain class rather than a record: Pipeline's program state and XStream both persist it.
 */
public final class EngineSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    private final EngineRole role;
    private final EngineType type;
    private final String url;
    private final String model;
    private final String credentialsId;
    private final String command;

    private EngineSpec(
            EngineRole role, EngineType type, String url, String model, String credentialsId, String command) {
        this.role = role;
        this.type = type;
        this.url = url;
        this.model = model;
        this.credentialsId = credentialsId;
        this.command = command;
    }

    /**
     * Validates and creates a spec from form or Pipeline values (blank means absent).
     *
     * @throws IllegalArgumentException naming every problem found
     */
    public static EngineSpec of(
            String role, String type, String url, String model, String credentialsId, String command) {
        List<String> problems = new ArrayList<>();
        EngineRole parsedRole = parse(() -> EngineRole.fromId(trim(role)), problems);
        EngineType parsedType = parse(() -> EngineType.fromId(trim(type)), problems);
        String cleanUrl = trim(url);
        String cleanCommand = trim(command);
        if (parsedType != null) {
            if (parsedRole != null && !parsedType.serves(parsedRole)) {
                problems.add("engine type '" + parsedType.id() + "' cannot serve the " + parsedRole.id() + " role");
            }
            if (parsedType.needsUrl()) {
                urlProblem(cleanUrl).ifPresent(problems::add);
            }
            if (parsedType.needsCommand() && cleanCommand == null) {
                problems.add("a " + parsedType.id() + " engine needs a command");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + (parsedRole == null ? "" : parsedRole.id() + " ")
                    + "engine: " + String.join("; ", problems));
        }
        return new EngineSpec(parsedRole, parsedType, cleanUrl, trim(model), trim(credentialsId), cleanCommand);
    }

    /** The built-in offline engine for a role: the default when nothing is configured. */
    public static EngineSpec builtin(EngineRole role) {
        return new EngineSpec(role, EngineType.BUILTIN, null, null, null, null);
    }

    /** Why this URL cannot reach an engine, if it cannot. */
    public static Optional<String> urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("the engine URL is required");
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return Optional.of("the engine URL must be an absolute http or https URL: " + url.trim());
            }
            if (uri.getUserInfo() != null) {
                return Optional.of("put credentials in a Jenkins credential, not in the engine URL");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("the engine URL is not a valid URL: " + e.getReason());
        }
    }

    private interface Parser<T> {
        T parse();
    }

    private static <T> T parse(Parser<T> parser, List<String> problems) {
        try {
            return parser.parse();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static String trim(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public EngineRole role() {
        return role;
    }

    public EngineType type() {
        return type;
    }

    /** The base URL, or {@code null} for engines that run locally. */
    public String url() {
        return url;
    }

    public String model() {
        return model;
    }

    public String credentialsId() {
        return credentialsId;
    }

    public String command() {
        return command;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EngineSpec that
                && role == that.role
                && type == that.type
                && Objects.equals(url, that.url)
                && Objects.equals(model, that.model)
                && Objects.equals(credentialsId, that.credentialsId)
                && Objects.equals(command, that.command);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, type, url, model, credentialsId, command);
    }

    @Override
    public String toString() {
        return role.id() + " engine " + type.id() + (url == null ? "" : " at " + url)
                + (model == null ? "" : " model " + model);
    }
}
