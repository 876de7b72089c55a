package io.voltworkflow.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A bearer token the server accepts, and what it may do. Only the SHA-256 digest of the secret is kept, so a heap
 * dump or a {@code toString} never reveals it, and presented tokens are compared digest to digest in constant time.
 */
public final class AccessToken {
    /** Shorter secrets are refused: they could be guessed. */
    public static final int MIN_SECRET_LENGTH = 16;

    private final byte[] digest;
    private final Access access;

    private AccessToken(byte[] digest, Access access) {
        this.digest = digest;
        this.access = access;
    }

    public static AccessToken of(String secret, Access access) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(access, "access");
        if (secret.length() < MIN_SECRET_LENGTH || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("an access token must be at least " + MIN_SECRET_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new AccessToken(sha256(secret), access);
    }

    public Access access() {
        return access;
    }

    /** Constant-time with respect to the secrets' content. */
    public boolean matches(byte[] presentedDigest) {
        return MessageDigest.isEqual(digest, presentedDigest);
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "AccessToken[" + access.wireName() + ", secret redacted]";
    }

    /** What a token allows. */
    public enum Access {
        /** Every endpoint. */
        FULL,
        /** Reading only: GET requests and the event stream; every state change is refused with 403. */
        READ_ONLY;

        public String wireName() {
            return this == FULL ? "full" : "read-only";
        }

        public static Access fromWireName(String name) {
            return switch (name) {
                case "full" -> FULL;
                case "read-only" -> READ_ONLY;
                default ->
                    throw new IllegalArgumentException(
                            "unknown token kind '" + name + "' (expected full or read-only)");
            };
        }
    }
}
