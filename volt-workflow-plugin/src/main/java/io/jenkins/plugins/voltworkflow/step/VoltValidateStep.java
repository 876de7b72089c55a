package io.jenkins.plugins.voltworkflow.step;

import hudson.Extension;
import io.jenkins.plugins.voltworkflow.runtime.Milestone;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code voltValidate(task: 'id')}: waits for the task's validation and returns its outcome. Inside
 * {@code node {}} it lends the workspace to a command validation engine, which then runs on that agent.
 */
public final class VoltValidateStep extends TaskStep {

    @DataBoundConstructor
    public VoltValidateStep(String task) {
        super(task);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new VoltStepExecution(context, getName(), null, Milestone.validation(getTask()), true);
    }

    @Extension
    public static final class DescriptorImpl extends VoltStepDescriptor {
        @Override
        public String getFunctionName() {
            return "voltValidate";
        }

        @Override
        public String getDisplayName() {
            return "Validate a Volt task (in the workspace when inside node)";
        }
    }
}
