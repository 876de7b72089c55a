/**
 * Public API for engines: the interfaces an NLP, code generation or validation engine implements
 * ({@link io.voltworkflow.core.engine.NlpEngine}, {@link io.voltworkflow.core.engine.CodegenEngine},
 * {@link io.voltworkflow.core.engine.ValidationEngine}, {@link io.voltworkflow.core.engine.StepHandler} for custom
 * step types), their request and result records, the per-attempt {@link io.voltworkflow.core.engine.EngineContext}
 * (cancellation, deadline, idempotency key, checkpoints, usage) and {@link io.voltworkflow.core.engine.Engines},
 * the set handed to the orchestrator. Failures are reported as
 * {@link io.voltworkflow.core.engine.EngineException} carrying a classified
 * {@link io.voltworkflow.core.model.StepError}.
 */
@NullMarked
package io.voltworkflow.core.engine;

import org.jspecify.annotations.NullMarked;
