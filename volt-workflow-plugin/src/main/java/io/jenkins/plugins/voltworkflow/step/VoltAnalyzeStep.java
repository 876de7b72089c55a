package io.jenkins.plugins.voltworkflow.step;

import hudson.Extension;
import io.jenkins.plugins.voltworkflow.runtime.Milestone;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code voltAnalyze}: starts the workflow and returns once requirement analysis and task creation are done, with
 * the analysis summary and the tasks ({@code id}, {@code title}), so a Jenkinsfile can give each task a
 * {@code parallel} branch running {@code voltCodegen} and {@code voltValidate}.
 */
public final class VoltAnalyzeStep extends WorkflowStartingStep {

    @DataBoundConstructor
    public VoltAnalyzeStep(String requirement) {
        super(requirement);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new VoltStepExecution(context, getName(), toRequest(context), Milestone.plan(), true);
    }

    @Extension
    public static final class DescriptorImpl extends VoltStepDescriptor {
        @Override
        public String getFunctionName() {
            return "voltAnalyze";
        }

        @Override
        public String getDisplayName() {
            return "Start a Volt workflow and wait for its task plan";
        }
    }
}
