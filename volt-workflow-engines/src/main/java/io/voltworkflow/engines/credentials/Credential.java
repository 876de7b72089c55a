package io.voltworkflow.engines.credentials;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an engine call authenticates. Records print their secrets as {@code ****} because {@link Secret} does.
 */
public sealed interface Credential {
    Credential NONE = new None();

    /** The secret values, so messages that came from a provider can be scrubbed of them. */
    List<Secret> secrets();

    /** No authentication (e.g. a local Ollama). */
    record None() implements Credential {
        @Override
        public List<Secret> secrets() {
            return List.of();
        }
    }

    /** {@code Authorization: Bearer <token>} (OpenAI, vLLM, LiteLLM, Volt engines). */
    record BearerToken(Secret token) implements Credential {
        public BearerToken {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public List<Secret> secrets() {
            return List.of(token);
        }
    }

    /** An API key in a named header, e.g. {@code x-api-key} (Anthropic) or {@code api-key} (Azure OpenAI). */
    record ApiKeyHeader(String header, Secret key) implements Credential {
        private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

        public ApiKeyHeader {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(key, "key");
            if (!TOKEN.matcher(header).matches()) {
                throw new IllegalArgumentException("'" + header + "' is not a valid HTTP header name");
            }
        }

        @Override
        public List<Secret> secrets() {
            return List.of(key);
        }
    }

    /** HTTP basic authentication; the password is secret, the user name is not. */
    record BasicAuth(String username, Secret password) implements Credential {
        public BasicAuth {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.contains(":")) {
                throw new IllegalArgumentException("a basic-auth user name must not contain ':'");
            }
        }

        /** The base64 form sent in {@code Authorization: Basic …}: as secret as the password, since it decodes to it. */
        public Secret encoded() {
            String pair = username + ":" + password.reveal();
            return Secret.of(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public List<Secret> secrets() {
            return List.of(password, encoded());
        }
    }
}
