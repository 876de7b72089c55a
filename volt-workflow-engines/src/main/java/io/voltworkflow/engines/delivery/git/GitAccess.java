package io.voltworkflow.engines.delivery.git;

import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.internal.Redactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How pushes and fetches authenticate: over HTTPS a username and a token sent as HTTP Basic authentication, over SSH
 * a private key file. The header reaches git through its environment ({@code GIT_CONFIG_*}), the key file through
 * {@code GIT_SSH_COMMAND}, never its command line, so no process listing shows a secret. Without either, git uses
 * what the user's git is configured with.
 */
public final class GitAccess {
    public static final GitAccess AMBIENT = new GitAccess(null, null, null);

    private final @Nullable String username;
    private final @Nullable Secret token;
    private final @Nullable Path sshKey;

    private GitAccess(@Nullable String username, @Nullable Secret token, @Nullable Path sshKey) {
        this.username = username;
        this.token = token;
        this.sshKey = sshKey;
    }

    /** Basic authentication with {@code username} (forges name the one their tokens expect) and {@code token}. */
    public static GitAccess token(String username, Secret token) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(token, "token");
        if (username.isBlank() || username.contains(":")) {
            throw new IllegalArgumentException(
                    "a git username must be non-blank and have no ':', got '" + username + "'");
        }
        return new GitAccess(username, token, null);
    }

    /**
     * What a forge's API {@code credential} gives git over HTTPS: a token with the username the forge expects for it
     * ({@code tokenUsername}), a username and password as they are; anything else leaves git to its own setup.
     */
    public static GitAccess of(Credential credential, String tokenUsername) {
        if (credential instanceof Credential.BearerToken bearer) {
            return token(tokenUsername, bearer.token());
        }
        if (credential instanceof Credential.BasicAuth basic) {
            return token(basic.username(), basic.password());
        }
        return AMBIENT;
    }

    /**
     * SSH with the private key in {@code keyFile} (readable by its owner only; the caller deletes it after use), and
     * no other identity, agent or password prompt. Host keys are checked against the user's {@code known_hosts}.
     */
    public static GitAccess sshKey(Path keyFile) {
        Objects.requireNonNull(keyFile, "keyFile");
        return new GitAccess(null, null, keyFile.toAbsolutePath());
    }

    Map<String, String> environment() {
        Path key = sshKey;
        if (key != null) {
            String quoted = "'" + key.toString().replace("'", "'\\''") + "'";
            return Map.of(
                    "GIT_SSH_COMMAND",
                    "ssh -i " + quoted + " -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes");
        }
        Secret secret = token;
        if (secret == null) {
            return Map.of();
        }
        return Map.of(
                "GIT_CONFIG_COUNT",
                "1",
                "GIT_CONFIG_KEY_0",
                "http.extraHeader",
                "GIT_CONFIG_VALUE_0",
                "Authorization: Basic " + encoded(secret));
    }

    Redactor redactor() {
        Secret secret = token;
        return secret == null ? Redactor.NONE : Redactor.of(List.of(secret, Secret.of(encoded(secret))));
    }

    private String encoded(Secret secret) {
        return Base64.getEncoder().encodeToString((username + ":" + secret.reveal()).getBytes(StandardCharsets.UTF_8));
    }
}
