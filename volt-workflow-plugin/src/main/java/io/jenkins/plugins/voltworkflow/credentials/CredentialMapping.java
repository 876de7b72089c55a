package io.jenkins.plugins.voltworkflow.credentials;

import io.jenkins.plugins.voltworkflow.engine.EngineType;

/**
 * Which kind of Jenkins credential each engine type accepts, and how the engine presents it: the Volt protocol
 * takes a token (bearer) or a username and password (basic); OpenAI-compatible APIs a bearer token; Anthropic an
 * {@code x-api-key}. Built-in and command engines take none.
 */
public final class CredentialMapping {

    public static final String ANTHROPIC_KEY_HEADER = "x-api-key";

    private CredentialMapping() {
    }

    /**
     * @throws IllegalArgumentException when the credential is of a kind the engine cannot use, naming both (never
     *         the secret)
     */
    public static EngineAuth authFor(EngineType type, String credentialsId, EngineSecret secret) {
        return switch (type) {
            case BUILTIN, COMMAND -> throw new IllegalArgumentException("a " + type.id()
                    + " engine takes no credentials; remove credentialsId '" + credentialsId + "'");
            case VOLT -> secret instanceof EngineSecret.UsernamePassword basic
                    ? new EngineAuth.Basic(basic.username(), basic.password())
                    : new EngineAuth.Bearer(tokenOf(type, credentialsId, secret));
            case OPENAI -> new EngineAuth.Bearer(tokenOf(type, credentialsId, secret));
            case ANTHROPIC -> new EngineAuth.ApiKeyHeader(ANTHROPIC_KEY_HEADER, tokenOf(type, credentialsId, secret));
        };
    }

    private static String tokenOf(EngineType type, String credentialsId, EngineSecret secret) {
        if (secret instanceof EngineSecret.Token token) {
            return token.value();
        }
        throw new IllegalArgumentException("credentials '" + credentialsId + "' are a username and password, but a "
                + type.id() + " engine needs a Secret text credential holding its API key");
    }
}
