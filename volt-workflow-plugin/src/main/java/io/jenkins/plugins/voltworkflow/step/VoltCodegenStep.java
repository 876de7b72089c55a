package io.jenkins.plugins.voltworkflow.step;

import hudson.Extension;
import io.jenkins.plugins.voltworkflow.runtime.Milestone;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code voltCodegen(task: 'id')}: waits for the task's code generation and returns its outcome. */
public final class VoltCodegenStep extends TaskStep {

    @DataBoundConstructor
    public VoltCodegenStep(String task) {
        super(task);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new VoltStepExecution(context, getName(), null, Milestone.codegen(getTask()), true);
    }

    @Extension
    public static final class DescriptorImpl extends VoltStepDescriptor {
        @Override
        public String getFunctionName() {
            return "voltCodegen";
        }

        @Override
        public String getDisplayName() {
            return "Wait for a Volt task's code generation";
        }
    }
}
