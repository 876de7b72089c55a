/**
 * Public API: {@link io.voltworkflow.core.time.TimeSource}, the engine's only clock and timer, with the system
 * implementation and {@link io.voltworkflow.core.time.VirtualTimeSource} for deterministic tests and benchmarks.
 */
@NullMarked
package io.voltworkflow.core.time;

import org.jspecify.annotations.NullMarked;
