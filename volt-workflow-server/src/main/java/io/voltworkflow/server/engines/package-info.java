/**
 * Public API of host engine configuration: {@link io.voltworkflow.server.engines.ConfigFile} (the YAML or JSON file),
 * {@link io.voltworkflow.server.engines.EngineProfiles} of named
 * {@link io.voltworkflow.server.engines.EngineProfile}s, routed per workflow by
 * {@link io.voltworkflow.server.engines.EngineRouter}; {@link io.voltworkflow.server.engines.EngineShortcuts}
 * (configuration from command-line flags), {@link io.voltworkflow.server.engines.ConfiguredCredentials} and
 * {@link io.voltworkflow.server.engines.ConfiguredDelivery}.
 */
@NullMarked
package io.voltworkflow.server.engines;

import org.jspecify.annotations.NullMarked;
