package io.jenkins.plugins.voltworkflow.step;

import io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/** The parameters of the steps that follow one task of a running workflow: the task and the workflow's name. */
public abstract class TaskStep extends Step {

    private final String task;
    private String name = WorkflowRequest.DEFAULT_NAME;

    protected TaskStep(String task) {
        this.task = task;
    }

    /** The id (or title) of a task that voltAnalyze returned. */
    public String getTask() {
        return task;
    }

    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = WorkflowRequest.nameOrDefault(name);
    }
}
