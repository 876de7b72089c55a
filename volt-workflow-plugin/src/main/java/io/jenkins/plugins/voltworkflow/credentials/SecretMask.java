package io.jenkins.plugins.voltworkflow.credentials;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Defence in depth for text that reaches the console, the build page or the step result: engines never put a
 * secret in an error or progress message, but if a remote service echoes one back, it is replaced by {@code ****}
 * before anyone sees it. Holds the secrets resolved for one build, in memory only.
 */
public final class SecretMask {

    /** Shorter values would mask ordinary words; no real API key or password is this short. */
    static final int MIN_MASKED_LENGTH = 4;

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    public void add(EngineSecret secret) {
        if (secret instanceof EngineSecret.Token token) {
            remember(token.value());
        } else if (secret instanceof EngineSecret.UsernamePassword basic) {
            remember(basic.password());
        }
    }

    private void remember(String value) {
        if (value.length() >= MIN_MASKED_LENGTH) {
            secrets.add(value);
        }
    }

    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        return masked;
    }
}
