/**
 * The Pipeline steps: {@link io.jenkins.plugins.voltworkflow.step.VoltWorkflowStep} ({@code voltWorkflow}),
 * {@link io.jenkins.plugins.voltworkflow.step.VoltAnalyzeStep},
 * {@link io.jenkins.plugins.voltworkflow.step.VoltCodegenStep},
 * {@link io.jenkins.plugins.voltworkflow.step.VoltValidateStep} and
 * {@link io.jenkins.plugins.voltworkflow.step.VoltWorkflowStatusStep}.
 */
package io.jenkins.plugins.voltworkflow.step;
