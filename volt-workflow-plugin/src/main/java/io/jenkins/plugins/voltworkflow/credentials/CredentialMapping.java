package io.jenkins.plugins.voltworkflow.credentials;

import io.jenkins.plugins.voltworkflow.engine.EngineType;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.Secret;

/**
 * Which kind of Jenkins credential each engine type accepts, and how the engine presents it: the Volt protocol
 * takes a token (bearer) or a username and password (basic); OpenAI-compatible APIs a bearer token; Anthropic an
 * {@code x-api-key}. Built-in and command engines take none.
 */
public final class CredentialMapping {

    public static final String ANTHROPIC_KEY_HEADER = "x-api-key";

    private CredentialMapping() {}

    /**
     * @throws IllegalArgumentException when the credential is of a kind the engine cannot use, naming both (never
     *         the secret)
     */
    public static Credential credentialFor(EngineType type, String credentialsId, EngineSecret secret) {
        return switch (type) {
            case BUILTIN, COMMAND ->
                throw new IllegalArgumentException("a " + type.id()
                        + " engine takes no credentials; remove credentialsId '" + credentialsId + "'");
            case VOLT ->
                secret instanceof EngineSecret.UsernamePassword basic
                        ? new Credential.BasicAuth(basic.username(), Secret.of(basic.password()))
                        : new Credential.BearerToken(Secret.of(tokenOf(type, credentialsId, secret)));
            case OPENAI -> new Credential.BearerToken(Secret.of(tokenOf(type, credentialsId, secret)));
            case ANTHROPIC ->
                new Credential.ApiKeyHeader(ANTHROPIC_KEY_HEADER, Secret.of(tokenOf(type, credentialsId, secret)));
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
