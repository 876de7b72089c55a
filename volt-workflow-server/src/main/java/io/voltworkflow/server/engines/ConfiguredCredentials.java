package io.voltworkflow.server.engines;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code credentials} section: ids mapped to where a secret is, never the secret.
 *
 * <pre>{@code
 * credentials:
 *   openai:    {env: OPENAI_API_KEY}
 *   anthropic: {file: /run/secrets/anthropic}
 *   gateway:   {env: GATEWAY_PASSWORD, user: ci}      # basic auth
 *   proxy:     {env: PROXY_KEY, header: X-Proxy-Key}  # a named header
 * }</pre>
 *
 * The secret is read again on every engine call, so a rotated file or a changed variable takes effect at once. How
 * it is sent follows the engine's kind unless {@code header} or {@code user} says otherwise: {@code x-api-key} for
 * Anthropic, {@code api-key} for Azure OpenAI, a bearer token for the rest.
 */
public final class ConfiguredCredentials {
    private static final Set<String> FIELDS = Set.of("env", "file", "header", "user");

    private final Map<String, Spec> byId;
    private final Function<String, String> environment;

    private ConfiguredCredentials(Map<String, Spec> byId, Function<String, String> environment) {
        this.byId = Map.copyOf(byId);
        this.environment = environment;
    }

    public static ConfiguredCredentials read(JsonNode section, Function<String, String> environment) {
        Map<String, Spec> byId = new LinkedHashMap<>();
        if (!section.isMissingNode() && !section.isNull()) {
            if (!section.isObject()) {
                throw new IllegalArgumentException(
                        "credentials: must be an object of id: {env: VARIABLE} or {file: PATH}");
            }
            for (Map.Entry<String, JsonNode> entry : section.properties()) {
                byId.put(entry.getKey(), spec("credentials." + entry.getKey(), entry.getValue()));
            }
        }
        return new ConfiguredCredentials(byId, environment);
    }

    Set<String> ids() {
        return byId.keySet();
    }

    /** The source of credential {@code id} for an engine of {@code kind}; unknown ids are errors listing the known. */
    CredentialSource source(String id, EngineKind kind) {
        Spec spec = spec(id);
        return () -> credential(id, spec, kind);
    }

    /** The secret of credential {@code id} as it is now (webhook signing keys); unknown ids are errors listing the known. */
    public Secret secret(String id) {
        return Secret.of(read("credential '" + id + "'", spec(id), environment));
    }

    private Spec spec(String id) {
        Spec spec = byId.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("no credentials with id '" + id + "'; the credentials section defines "
                    + (byId.isEmpty() ? "none" : new TreeSet<>(byId.keySet())));
        }
        return spec;
    }

    /**
     * A credential given in place ({@code where} names it in errors): a bearer token, or basic authentication with
     * {@code user}; read again on every use.
     */
    static CredentialSource inPlace(String where, JsonNode node, Function<String, String> environment) {
        Spec spec = spec(where, node);
        return () -> credential(where, spec, null, environment);
    }

    private Credential credential(String id, Spec spec, EngineKind kind) {
        return credential("credential '" + id + "'", spec, kind, environment);
    }

    private static Credential credential(
            String what, Spec spec, @Nullable EngineKind kind, Function<String, String> environment) {
        Secret secret = Secret.of(read(what, spec, environment));
        if (spec.user() != null) {
            return new Credential.BasicAuth(spec.user(), secret);
        }
        String header = spec.header() != null || kind == null
                ? spec.header()
                : switch (kind) {
                    case ANTHROPIC -> "x-api-key";
                    case AZURE_OPENAI -> "api-key";
                    default -> null;
                };
        return header == null ? new Credential.BearerToken(secret) : new Credential.ApiKeyHeader(header, secret);
    }

    private static String read(String what, Spec spec, Function<String, String> environment) {
        if (spec.variable() != null) {
            String value = environment.apply(spec.variable());
            if (value == null || value.isBlank()) {
                throw new CredentialSource.CredentialException(
                        what + ": environment variable " + spec.variable() + " is not set");
            }
            return value.strip();
        }
        try {
            String value = Files.readString(spec.file(), StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new CredentialSource.CredentialException(what + ": file " + spec.file() + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new CredentialSource.CredentialException(what + ": file " + spec.file() + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static Spec spec(String where, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(
                    where + ": must be {env: VARIABLE} or {file: PATH}; secrets themselves never "
                            + "go into the configuration file");
        }
        List<String> unknown = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + " has unknown field(s) " + unknown + "; known: "
                    + new TreeSet<>(FIELDS) + " (secrets themselves never go into the configuration file)");
        }
        String variable = text(node, "env", where);
        String file = text(node, "file", where);
        if ((variable == null) == (file == null)) {
            throw new IllegalArgumentException(
                    where + ": needs exactly one of 'env' (a variable name) or 'file' (a path)");
        }
        return new Spec(
                variable, file == null ? null : Path.of(file), text(node, "header", where), text(node, "user", where));
    }

    private static @Nullable String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + "." + field + ": must be a non-empty string");
        }
        return value.asText();
    }

    private record Spec(
            @Nullable String variable,
            @Nullable Path file,
            @Nullable String header,
            @Nullable String user) {}
}
