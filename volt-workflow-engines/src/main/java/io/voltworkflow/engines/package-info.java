/**
 * Public API of the engine adapters: {@link io.voltworkflow.engines.EngineFactory} builds the
 * {@link io.voltworkflow.core.engine.Engines} of a host from an {@link io.voltworkflow.engines.EnginesConfig} (one
 * {@link io.voltworkflow.engines.EngineConfig} per stage, of an {@link io.voltworkflow.engines.EngineKind}), read
 * from JSON by {@link io.voltworkflow.engines.EngineConfigJson}; {@link io.voltworkflow.engines.EngineCheck} is what
 * one free request says about a configured engine. The machinery behind them lives in
 * {@code io.voltworkflow.engines.internal} and is not API.
 */
@NullMarked
package io.voltworkflow.engines;

import org.jspecify.annotations.NullMarked;
