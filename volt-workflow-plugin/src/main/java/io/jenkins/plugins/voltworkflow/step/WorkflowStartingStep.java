package io.jenkins.plugins.voltworkflow.step;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.delivery.DeliveryConfiguration;
import io.jenkins.plugins.voltworkflow.progress.ConsoleLines;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The parameters of the steps that start a workflow (voltWorkflow, voltAnalyze): the requirement, a project
 * context map, one engine per role, limits that override the global configuration's, and where to deliver the
 * result.
 */
public abstract class WorkflowStartingStep extends Step {

    private final String requirement;
    private String name = WorkflowRequest.DEFAULT_NAME;
    private Map<String, Object> projectContext = new LinkedHashMap<>();
    private List<EngineConfiguration> engines = new ArrayList<>();
    private Integer concurrency;
    private Integer stepTimeoutMinutes;
    private Integer retries;
    private Double budgetUsd;
    private DeliveryConfiguration deliver;

    protected WorkflowStartingStep(String requirement) {
        this.requirement = requirement;
    }

    public String getRequirement() {
        return requirement;
    }

    public String getName() {
        return name;
    }

    /** Names the workflow within the build, for builds that run more than one. */
    @DataBoundSetter
    public void setName(String name) {
        this.name = WorkflowRequest.nameOrDefault(name);
    }

    public Map<String, Object> getProjectContext() {
        return projectContext;
    }

    @DataBoundSetter
    public void setProjectContext(Map<String, Object> projectContext) {
        this.projectContext = projectContext == null ? new LinkedHashMap<>() : new LinkedHashMap<>(projectContext);
    }

    public List<EngineConfiguration> getEngines() {
        return engines;
    }

    @DataBoundSetter
    public void setEngines(List<EngineConfiguration> engines) {
        this.engines = engines == null ? new ArrayList<>() : new ArrayList<>(engines);
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    @DataBoundSetter
    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public Integer getStepTimeoutMinutes() {
        return stepTimeoutMinutes;
    }

    @DataBoundSetter
    public void setStepTimeoutMinutes(Integer stepTimeoutMinutes) {
        this.stepTimeoutMinutes = stepTimeoutMinutes;
    }

    public Integer getRetries() {
        return retries;
    }

    @DataBoundSetter
    public void setRetries(Integer retries) {
        this.retries = retries;
    }

    public Double getBudgetUsd() {
        return budgetUsd;
    }

    @DataBoundSetter
    public void setBudgetUsd(Double budgetUsd) {
        this.budgetUsd = budgetUsd;
    }

    public DeliveryConfiguration getDeliver() {
        return deliver;
    }

    /** Delivers the result as a branch and pull request; off without it. */
    @DataBoundSetter
    public void setDeliver(DeliveryConfiguration deliver) {
        this.deliver = deliver;
    }

    /**
     * The request, with the global configuration's engines, limits and delivery defaults where this step sets none,
     * and the delivery completed from the build (the repository it checked out, the branch it builds).
     *
     * @throws AbortException naming every invalid value (the step fails with that message, not a stack trace)
     */
    WorkflowRequest toRequest(StepContext context) throws Exception {
        try {
            WorkflowRequest request = Requests.of(
                    name, requirement, projectContext, engines, concurrency, stepTimeoutMinutes, retries, budgetUsd);
            if (deliver == null) {
                return request;
            }
            EnvVars environment = context.get(EnvVars.class);
            return Requests.delivering(
                    request, deliver, context.get(Run.class), environment == null ? Map.of() : environment);
        } catch (IllegalArgumentException e) {
            throw new AbortException(ConsoleLines.PREFIX + e.getMessage());
        }
    }
}
