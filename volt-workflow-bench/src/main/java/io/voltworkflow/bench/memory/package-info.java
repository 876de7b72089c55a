/**
 * The memory scenario, not API: {@link io.voltworkflow.bench.memory.MemoryScenario}, heap per in-flight workflow.
 */
package io.voltworkflow.bench.memory;
