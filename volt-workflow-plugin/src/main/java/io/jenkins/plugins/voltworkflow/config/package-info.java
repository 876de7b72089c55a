/**
 * Configuration: {@link io.jenkins.plugins.voltworkflow.config.VoltWorkflowGlobalConfiguration} (the controller's
 * defaults, Configuration as Code included) and {@link io.jenkins.plugins.voltworkflow.config.EngineConfiguration}
 * (one engine as a form, CasC or a Jenkinsfile configures it).
 */
package io.jenkins.plugins.voltworkflow.config;
