package io.jenkins.plugins.voltworkflow.delivery;

import io.jenkins.plugins.voltworkflow.credentials.EngineSecret;
import java.util.Objects;

/** What git authenticates with, read from a Jenkins credential at the point of use; never printable. */
public sealed interface GitSecret {

    /** HTTPS: a token ("Secret text") or a username and password (or token). */
    record Http(EngineSecret secret) implements GitSecret {
        public Http {
            Objects.requireNonNull(secret, "secret");
        }
    }

    /** SSH: a private key, from a "Secret file" credential. */
    record SshKey(byte[] privateKey) implements GitSecret {
        public SshKey {
            Objects.requireNonNull(privateKey, "privateKey");
        }

        @Override
        public String toString() {
            return "SshKey[****]";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SshKey that && java.util.Arrays.equals(privateKey, that.privateKey);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(privateKey);
        }
    }

    /** Resolves a credentials id for a remote URL, in the build's context. */
    @FunctionalInterface
    interface Resolver {
        /** @throws IllegalArgumentException naming the id (never a secret) when it cannot be used */
        GitSecret resolve(String credentialsId, String url);
    }
}
