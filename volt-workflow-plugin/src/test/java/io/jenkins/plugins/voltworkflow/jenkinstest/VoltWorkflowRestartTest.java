package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import java.time.Duration;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.CpsFlowExecution;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart while code generation jobs are in flight: the step resumes, the workflow continues from
 * the store in the build's directory, and the engine's jobs are polled again, never submitted twice.
 */
class VoltWorkflowRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private VoltProtocolEngine engine;

    @BeforeEach
    void startEngine() throws Exception {
        engine = new VoltProtocolEngine();
        engine.holdJobs.set(true);
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void theWorkflowSurvivesARestartAndItsJobsAreNotSubmittedAgain() throws Throwable {
        sessions.then(j -> {
            VoltWorkflowPipelineTest.addToken("volt-token");
            WorkflowJob p = j.createProject(WorkflowJob.class, "durable");
            p.setDefinition(new CpsFlowDefinition(
                    "def result = voltWorkflow requirement: 'Add login', engines: "
                            + VoltWorkflowPipelineTest.engines(engine.url()) + "\n"
                            + "echo \"status=${result.status}\"\n",
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            // The core checkpoints a submitted job before it polls it: once polled, a restart must not resubmit it.
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.requests.stream().anyMatch(r ->
                    r.getMethod().equals("GET") && r.getUrl().encodedPath().equals("/v1/codegen/jobs/job-tokens")));
            ((CpsFlowExecution) b.getExecution()).waitForSuspension();
        });
        engine.holdJobs.set(false);
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("durable", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("[volt] resumed after a controller restart", b);
            j.assertLogContains("status=completed", b);
            assertThat(engine.submissions).containsEntry("tokens", 1).containsEntry("login", 1);
        });
    }
}
