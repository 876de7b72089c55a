/**
 * Public API for authentication: {@link io.voltworkflow.engines.credentials.Credential} (how a call authenticates),
 * {@link io.voltworkflow.engines.credentials.CredentialSource} (asked once per call, so rotated secrets take effect)
 * and {@link io.voltworkflow.engines.credentials.Secret}, which never prints its value.
 */
@NullMarked
package io.voltworkflow.engines.credentials;

import org.jspecify.annotations.NullMarked;
