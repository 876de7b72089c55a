/**
 * A job's workflow history: {@link io.jenkins.plugins.voltworkflow.history.JobHistory} over the
 * {@link io.jenkins.plugins.voltworkflow.history.WorkflowSummary} each build keeps.
 */
package io.jenkins.plugins.voltworkflow.history;
