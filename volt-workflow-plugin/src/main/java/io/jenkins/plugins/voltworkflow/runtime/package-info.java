/**
 * Workflows live on the controller: {@link io.jenkins.plugins.voltworkflow.runtime.WorkflowSessions} keeps one
 * {@link io.jenkins.plugins.voltworkflow.runtime.BuildWorkflow} per workflow of a build, created from a
 * {@link io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest} with engines from an
 * {@link io.jenkins.plugins.voltworkflow.runtime.EngineFactory}; steps wait for a
 * {@link io.jenkins.plugins.voltworkflow.runtime.Milestone} and return
 * {@link io.jenkins.plugins.voltworkflow.runtime.ResultMaps}; blocking work runs on
 * {@link io.jenkins.plugins.voltworkflow.runtime.BlockingWork}.
 */
package io.jenkins.plugins.voltworkflow.runtime;
