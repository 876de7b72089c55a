/**
 * {@link io.jenkins.plugins.voltworkflow.limits.WorkflowLimits}: how much one workflow may do.
 */
package io.jenkins.plugins.voltworkflow.limits;
