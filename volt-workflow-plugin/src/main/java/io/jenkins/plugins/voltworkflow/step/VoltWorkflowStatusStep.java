package io.jenkins.plugins.voltworkflow.step;

import hudson.Extension;
import io.jenkins.plugins.voltworkflow.runtime.Milestone;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code voltWorkflowStatus()}: returns the build's workflow result map as it is now, or, with {@code wait: true},
 * once the workflow has finished (without failing the step when it did not complete).
 */
public final class VoltWorkflowStatusStep extends Step {

    private String name = WorkflowRequest.DEFAULT_NAME;
    private boolean wait;

    @DataBoundConstructor
    public VoltWorkflowStatusStep() {}

    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = WorkflowRequest.nameOrDefault(name);
    }

    public boolean isWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(boolean wait) {
        this.wait = wait;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new VoltStepExecution(context, name, null, wait ? Milestone.workflow() : Milestone.now(), false);
    }

    @Extension
    public static final class DescriptorImpl extends VoltStepDescriptor {
        @Override
        public String getFunctionName() {
            return "voltWorkflowStatus";
        }

        @Override
        public String getDisplayName() {
            return "Read the result of the build's Volt workflow";
        }
    }
}
