package io.voltworkflow.engines.credentials;

import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import java.util.Objects;

/**
 * Where an engine gets its credential, asked once per call so rotated secrets take effect without a restart. The
 * Jenkins plugin implements it over the Credentials plugin (by credentials id), the server over its configuration
 * or environment. Implementations must not log what they return.
 */
@FunctionalInterface
public interface CredentialSource {
    CredentialSource NONE = () -> Credential.NONE;

    /** The credential to use now; throws {@link CredentialException} when it cannot be found. */
    Credential credential();

    /**
     * The engine refused {@code credential} (HTTP 401): a source that caches its lookups looks it up again for the
     * next call, so a rotated secret takes effect.
     */
    default void rejected(Credential credential) {}

    /** The credential for {@code engine}'s next call; a lookup failure becomes a classified, resumable step error. */
    static Credential resolve(CredentialSource source, String engine) {
        try {
            return source.credential();
        } catch (RuntimeException e) {
            throw new EngineException(
                    StepError.recoverable(
                            StepError.ENGINE_ERROR, "no usable credentials for " + engine + ": " + e.getMessage()),
                    e);
        }
    }

    static CredentialSource of(Credential credential) {
        Objects.requireNonNull(credential, "credential");
        return () -> credential;
    }

    /** A credential source was misconfigured (unknown id, wrong kind); the message names it, never its value. */
    final class CredentialException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CredentialException(String message) {
            super(message);
        }
    }
}
