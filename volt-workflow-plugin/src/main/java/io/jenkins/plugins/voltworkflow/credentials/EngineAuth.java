package io.jenkins.plugins.voltworkflow.credentials;

/** How an HTTP engine presents a secret. {@code toString} never shows the secret. */
public sealed interface EngineAuth {

    /** No authentication (built-in and command engines, or an engine without a credentials id). */
    record None() implements EngineAuth {
    }

    /** {@code Authorization: Bearer <token>}. */
    record Bearer(String token) implements EngineAuth {
        @Override
        public String toString() {
            return "Bearer[****]";
        }
    }

    /** The key in a named header, e.g. Anthropic's {@code x-api-key}. */
    record ApiKeyHeader(String header, String key) implements EngineAuth {
        @Override
        public String toString() {
            return "ApiKeyHeader[" + header + ": ****]";
        }
    }

    /** {@code Authorization: Basic ...}. */
    record Basic(String username, String password) implements EngineAuth {
        @Override
        public String toString() {
            return "Basic[" + username + ", ****]";
        }
    }
}
