package io.jenkins.plugins.voltworkflow.step;

import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.config.VoltWorkflowGlobalConfiguration;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest;
import java.util.List;
import java.util.Map;

/** Builds a workflow request from step or build-step parameters over the global configuration's defaults. */
public final class Requests {

    private Requests() {}

    /** @throws IllegalArgumentException naming every invalid value */
    public static WorkflowRequest of(
            String name,
            String requirement,
            Map<String, Object> projectContext,
            List<EngineConfiguration> engines,
            Integer concurrency,
            Integer stepTimeoutMinutes,
            Integer retries,
            Double budgetUsd) {
        VoltWorkflowGlobalConfiguration global = VoltWorkflowGlobalConfiguration.get();
        WorkflowLimits limits = WorkflowLimits.builder(global.limits())
                .maxConcurrentSteps(concurrency)
                .stepTimeoutMinutes(stepTimeoutMinutes)
                .maxRetries(retries)
                .budgetUsd(budgetUsd)
                .build();
        List<EngineSpec> specs =
                engines.stream().map(EngineConfiguration::toSpec).toList();
        return WorkflowRequest.of(name, requirement, projectContext, specs, global.engineSpecs(), limits);
    }
}
