/**
 * {@link io.jenkins.plugins.voltworkflow.freestyle.VoltWorkflowBuilder}, the Freestyle build step.
 */
package io.jenkins.plugins.voltworkflow.freestyle;
