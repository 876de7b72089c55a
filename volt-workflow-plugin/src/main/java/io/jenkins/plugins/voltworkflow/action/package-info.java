/**
 * The build's and the job's actions: {@link io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction} (one
 * workflow's card and page), {@link io.jenkins.plugins.voltworkflow.action.VoltWorkflowJobAction} (the job's workflow
 * history, added by {@link io.jenkins.plugins.voltworkflow.action.VoltWorkflowJobActionFactory}) and
 * {@link io.jenkins.plugins.voltworkflow.action.WorkflowRunListener}, which stops a finished build's workflows.
 */
package io.jenkins.plugins.voltworkflow.action;
