/**
 * Public API of the Volt engine protocol: {@link io.voltworkflow.engines.volt.VoltEngine}, its HTTP client, and
 * {@link io.voltworkflow.engines.volt.VoltWire}, its JSON bodies, shared with the command transport.
 */
@NullMarked
package io.voltworkflow.engines.volt;

import org.jspecify.annotations.NullMarked;
