/**
 * Validation in a build workspace: {@link io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker} lends a step's
 * workspace to {@link io.jenkins.plugins.voltworkflow.workspace.AgentValidationEngine}, which runs the command on the
 * agent through a {@link io.jenkins.plugins.voltworkflow.workspace.CommandRunner}.
 */
package io.jenkins.plugins.voltworkflow.workspace;
