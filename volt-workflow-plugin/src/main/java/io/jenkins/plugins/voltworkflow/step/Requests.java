package io.jenkins.plugins.voltworkflow.step;

import hudson.model.Run;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.config.VoltWorkflowGlobalConfiguration;
import io.jenkins.plugins.voltworkflow.delivery.DeliveryConfiguration;
import io.jenkins.plugins.voltworkflow.delivery.DeliverySpec;
import io.jenkins.plugins.voltworkflow.delivery.JobRepository;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;

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

    /**
     * {@code request} delivering its result as {@code deliver} says (off when it is {@code null}), over the global
     * configuration's delivery defaults and completed from the build: the repository it checked out, the branch it
     * builds, the workflow page's address.
     *
     * @throws IllegalArgumentException naming every invalid value
     */
    public static WorkflowRequest delivering(
            WorkflowRequest request, DeliveryConfiguration deliver, Run<?, ?> run, Map<String, String> environment) {
        if (deliver == null) {
            return request;
        }
        String root = Jenkins.get().getRootUrl();
        String page = root == null ? null : root + run.getUrl() + VoltWorkflowAction.urlName(request.name()) + "/";
        return request.withDelivery(DeliverySpec.resolve(
                deliver.over(VoltWorkflowGlobalConfiguration.get().getDelivery()),
                environment,
                JobRepository.checkedOut(run),
                page));
    }
}
