package io.jenkins.plugins.voltworkflow.freestyle;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.delivery.DeliveryConfiguration;
import io.jenkins.plugins.voltworkflow.progress.ConsoleLines;
import io.jenkins.plugins.voltworkflow.progress.ProgressThrottle;
import io.jenkins.plugins.voltworkflow.runtime.BuildWorkflow;
import io.jenkins.plugins.voltworkflow.runtime.Milestone;
import io.jenkins.plugins.voltworkflow.runtime.ResultMaps;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest;
import io.jenkins.plugins.voltworkflow.step.Requests;
import io.jenkins.plugins.voltworkflow.workspace.LauncherCommandRunner;
import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.status.WorkflowStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The Freestyle build step: runs a whole workflow in the build's workspace, with the same engines, delivery, build
 * action, console lines and page as {@code voltWorkflow}. The build's executor waits for the workflow (Freestyle has no
 * durable steps: a controller restart aborts the build, as for any Freestyle build).
 */
public final class VoltWorkflowBuilder extends Builder implements SimpleBuildStep {

    private final String requirement;
    private String name = WorkflowRequest.DEFAULT_NAME;
    private List<EngineConfiguration> engines = new ArrayList<>();
    private Integer concurrency;
    private Integer stepTimeoutMinutes;
    private Integer retries;
    private Double budgetUsd;
    private DeliveryConfiguration deliver;

    @DataBoundConstructor
    public VoltWorkflowBuilder(String requirement) {
        this.requirement = requirement;
    }

    public String getRequirement() {
        return requirement;
    }

    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = WorkflowRequest.nameOrDefault(name);
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

    /** Delivers the result as a branch and pull request, as {@code voltWorkflow(deliver: …)} does; off without it. */
    @DataBoundSetter
    public void setDeliver(DeliveryConfiguration deliver) {
        this.deliver = deliver;
    }

    @Override
    @SuppressWarnings("try") // the workspace offer and the console subscription last as long as the wait
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        WorkflowRequest request;
        try {
            request = Requests.delivering(
                    Requests.of(
                            name, requirement, Map.of(), engines, concurrency, stepTimeoutMinutes, retries, budgetUsd),
                    deliver,
                    run,
                    env);
        } catch (IllegalArgumentException e) {
            throw new AbortException(ConsoleLines.PREFIX + e.getMessage());
        }
        boolean first = VoltWorkflowAction.find(run, request.name()).isEmpty();
        VoltWorkflowAction action = VoltWorkflowAction.attach(run, request);
        ConsoleLines lines = new ConsoleLines(action.secretMask());
        BuildWorkflow workflow;
        try {
            workflow = action.session();
        } catch (IllegalArgumentException e) { // engines that cannot be built: a bad URL, an unknown credential
            if (first) { // as the Pipeline step: the build page shows no card for a workflow that never existed
                VoltWorkflowAction.detach(run, action);
            }
            throw new AbortException(ConsoleLines.PREFIX + lines.untrusted(e.getMessage()));
        }
        workflow.ensureStarted(false);
        listener.getLogger().println(ConsoleLines.PREFIX + "live view: " + run.getUrl() + action.getUrlName() + "/");
        WorkflowStatus status;
        // The Pipeline steps' console: a step's progress reports too (where the pull request is, which workspace
        // copy a validation runs in, a model's tokens), throttled.
        ProgressThrottle progress = new ProgressThrottle(lines);
        try (WorkspaceBroker.Offer offer = workflow.workspaces()
                        .offer(null, new LauncherCommandRunner(workspace, launcher, listener, env));
                Subscription console = workflow.follow(
                        action.getConsoleSequence(),
                        event -> progress.linesFor(event).forEach(listener.getLogger()::println))) {
            status = workflow.await(Milestone.workflow()).get();
        } catch (InterruptedException e) {
            workflow.cancel("the build was aborted");
            throw e;
        } catch (ExecutionException e) {
            throw new AbortException(
                    ConsoleLines.PREFIX + lines.untrusted(e.getCause().getMessage()));
        }
        Optional<String> failure = ResultMaps.failure(status);
        if (failure.isPresent()) {
            throw new AbortException(ConsoleLines.PREFIX + lines.untrusted(failure.get()));
        }
    }

    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        @SuppressWarnings("rawtypes") // the upstream signature
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Run a Volt workflow";
        }
    }
}
