package io.jenkins.plugins.voltworkflow.credentials;

import java.util.Objects;

/**
 * The secret material of a Jenkins credential, read at the point of use. Deliberately neither serializable nor
 * printable: it is resolved again after a restart instead of being stored, and {@code toString} never shows it.
 */
public sealed interface EngineSecret {

    /** A "Secret text" credential: an API key or token. */
    record Token(String value) implements EngineSecret {
        public Token {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "Token[****]";
        }
    }

    /** A "Username with password" credential. */
    record UsernamePassword(String username, String password) implements EngineSecret {
        public UsernamePassword {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "UsernamePassword[" + username + ", ****]";
        }
    }
}
