package io.voltworkflow.engines.delivery.git;

import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.internal.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How pushes and fetches authenticate over HTTPS: a username and a token sent as HTTP Basic authentication. The
 * header reaches git through its environment ({@code GIT_CONFIG_*}), never its command line, so no process listing
 * shows it; SSH remotes and local paths ignore it and use what the user's git is configured with.
 */
public final class GitAccess {
    public static final GitAccess AMBIENT = new GitAccess(null, null);

    private final @Nullable String username;
    private final @Nullable Secret token;

    private GitAccess(@Nullable String username, @Nullable Secret token) {
        this.username = username;
        this.token = token;
    }

    /** Basic authentication with {@code username} (forges name the one their tokens expect) and {@code token}. */
    public static GitAccess token(String username, Secret token) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(token, "token");
        if (username.isBlank() || username.contains(":")) {
            throw new IllegalArgumentException(
                    "a git username must be non-blank and have no ':', got '" + username + "'");
        }
        return new GitAccess(username, token);
    }

    Map<String, String> environment() {
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
