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
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.RealJenkinsExtension;

/**
 * A real controller restart: the first controller JVM stops while a code generation job is in flight, a new JVM
 * starts on the same Jenkins home, the step resumes and the workflow finishes, and the engine saw each job
 * submitted once.
 */
class VoltWorkflowRealRestartTest {

    @RegisterExtension
    private final RealJenkinsExtension controller = new RealJenkinsExtension();

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
    void aNewControllerJvmFinishesTheWorkflowAndNoJobIsSubmittedTwice() throws Throwable {
        controller.startJenkins();
        controller.runRemotely(VoltWorkflowRealRestartTest::startBuild, engine.url());
        // Once the job is polled, the core has checkpointed its submission: a restart must not submit it again.
        await().atMost(Duration.ofSeconds(120))
                .until(() -> engine.requests.stream()
                        .anyMatch(r -> r.getMethod().equals("GET")
                                && r.getUrl().encodedPath().equals("/v1/codegen/jobs/job-tokens")));
        controller.runRemotely(VoltWorkflowRealRestartTest::awaitSuspension);
        controller.stopJenkins();

        engine.holdJobs.set(false);
        controller.startJenkins();
        controller.runRemotely(VoltWorkflowRealRestartTest::buildFinishes);

        assertThat(engine.submissions).containsEntry("tokens", 1).containsEntry("login", 1);
    }

    private static void startBuild(JenkinsRule j, String engineUrl) throws Throwable {
        VoltWorkflowPipelineTest.addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "restarted");
        p.setDefinition(new CpsFlowDefinition(
                "echo \"status=${voltWorkflow(requirement: 'Add login', engines: "
                        + VoltWorkflowPipelineTest.engines(engineUrl) + ").status}\"",
                true));
        p.scheduleBuild2(0).waitForStart();
    }

    private static void awaitSuspension(JenkinsRule j) throws Throwable {
        WorkflowRun b =
                j.jenkins.getItemByFullName("restarted", WorkflowJob.class).getBuildByNumber(1);
        ((CpsFlowExecution) b.getExecution()).waitForSuspension();
    }

    private static void buildFinishes(JenkinsRule j) throws Throwable {
        WorkflowRun b =
                j.jenkins.getItemByFullName("restarted", WorkflowJob.class).getBuildByNumber(1);
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("[volt] resumed after a controller restart", b);
        j.assertLogContains("status=completed", b);
    }
}
