package io.jenkins.plugins.voltworkflow.step;

import hudson.Extension;
import io.jenkins.plugins.voltworkflow.runtime.Milestone;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code voltWorkflow}: runs a whole workflow, from requirement analysis to completion, and returns its result map
 * (status, tasks with their code generation and validation outcome, patch references, durations). Fails the step
 * when the workflow does not complete, unless {@code failOnError: false}.
 */
public final class VoltWorkflowStep extends WorkflowStartingStep {

    private boolean failOnError = true;

    @DataBoundConstructor
    public VoltWorkflowStep(String requirement) {
        super(requirement);
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    @DataBoundSetter
    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new VoltStepExecution(context, getName(), toRequest(context), Milestone.workflow(), failOnError);
    }

    @Extension
    public static final class DescriptorImpl extends VoltStepDescriptor {
        @Override
        public String getFunctionName() {
            return "voltWorkflow";
        }

        @Override
        public String getDisplayName() {
            return "Run a Volt workflow from requirement to validated code";
        }
    }
}
