package io.voltworkflow.engines.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (token, API key, password). Its {@link #toString()} never shows the value, so a secret that ends
 * up in a log line, an exception or a config dump shows as {@code ****}; only {@link #reveal()} gives it out, at
 * the point where it goes on the wire.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be blank");
        }
        return new Secret(value);
    }

    /** The value itself: call only where it goes on the wire or into a child process. */
    public String reveal() {
        return value;
    }

    /** Constant-time, so comparing a secret does not reveal how much of it matched. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), secret.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // a hash of the value would leak information about it
    }

    @Override
    public String toString() {
        return "****";
    }
}
