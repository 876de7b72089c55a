/**
 * Public API: {@link io.voltworkflow.engines.delivery.forges.ForgeKind}, the forges by configuration id, and
 * {@link io.voltworkflow.engines.delivery.forges.Forges}, which builds one on the host's HTTP transport.
 */
@NullMarked
package io.voltworkflow.engines.delivery.forges;

import org.jspecify.annotations.NullMarked;
