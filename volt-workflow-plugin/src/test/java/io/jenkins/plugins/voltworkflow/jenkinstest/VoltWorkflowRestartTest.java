package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hudson.FilePath;
import hudson.model.Descriptor;
import hudson.model.TaskListener;
import hudson.slaves.ComputerLauncher;
import hudson.slaves.DumbSlave;
import hudson.slaves.SlaveComputer;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.CpsFlowExecution;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart while code generation jobs are in flight: the step resumes, the workflow continues from
 * the store in the build's directory, and the engine's jobs are polled again, never submitted twice. A restart
 * during a validation command kills the command, which the resumed step then runs again, alone.
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
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> engine.requests.stream()
                            .anyMatch(r -> r.getMethod().equals("GET")
                                    && r.getUrl().encodedPath().equals("/v1/codegen/jobs/job-tokens")));
            ((CpsFlowExecution) b.getExecution()).waitForSuspension();
        });
        engine.holdJobs.set(false);
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("durable", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("[volt] resumed after a controller restart", b);
            j.assertLogContains("status=completed", b);
            assertThat(engine.submissions).containsEntry("tokens", 1).containsEntry("login", 1);
        });
    }

    @Test
    void aRestartDuringValidationKillsTheCommandAndTheResumedStepRunsItAgainAlone() throws Throwable {
        engine.holdJobs.set(false);
        List<ProcessHandle> firstRun = new ArrayList<>();
        Path[] marks = new Path[1];
        sessions.then(j -> {
            VoltWorkflowPipelineTest.addToken("volt-token");
            WorkflowJob p = j.createProject(WorkflowJob.class, "validating");
            marks[0] = Files.createDirectories(j.jenkins.getRootDir().toPath().resolve("marks"));
            // Each run appends its shell's process id; the first waits on a child until the controller stops.
            p.setDefinition(new CpsFlowDefinition(
                    VoltWorkflowPipelineTest.pipelineValidatedBy(
                            "node",
                            engine.url(),
                            "m=\"" + marks[0] + "\"; echo $$ >> \"$m/$VOLT_TASK_ID.pids\"; "
                                    + "test -f \"$m/release\" || sleep 300"),
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            FilePath pids = new FilePath(marks[0].resolve("tokens.pids").toFile());
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> pids.exists() && !pids.readToString().isBlank());
            ProcessHandle shell =
                    ProcessHandle.of(Long.parseLong(pids.readToString().trim())).orElseThrow();
            firstRun.addAll(await().atMost(Duration.ofSeconds(60))
                    .until(() -> shell.descendants().toList(), children -> !children.isEmpty()));
            firstRun.add(shell);
            ((CpsFlowExecution) b.getExecution()).waitForSuspension();
        });
        // The controller is down: nothing of its command runs on as an orphan.
        await().atMost(Duration.ofSeconds(60)).until(() -> firstRun.stream().noneMatch(ProcessHandle::isAlive));
        Files.writeString(marks[0].resolve("release"), "the next run passes at once");
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("validating", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("status=completed", b);
            assertThat(Files.readAllLines(marks[0].resolve("tokens.pids")))
                    .as("run before and after the restart")
                    .hasSize(2);
        });
    }

    @Test
    void aStepResumedWhileItsAgentIsOfflineValidatesOnceTheAgentIsBack() throws Throwable {
        sessions.then(j -> {
            VoltWorkflowPipelineTest.addToken("volt-token");
            DumbSlave agent = new DumbSlave(
                    "builder",
                    j.jenkins.getRootDir().toPath().resolve("agent-builder").toString(),
                    new GatedLauncher(j.createComputerLauncher(null)));
            agent.setLabelString("builder");
            j.jenkins.addNode(agent);
            j.waitOnline(agent);
            WorkflowJob p = j.createProject(WorkflowJob.class, "on-agent");
            p.setDefinition(new CpsFlowDefinition(
                    VoltWorkflowPipelineTest.pipelineValidatedBy(
                            "node('builder')",
                            engine.url(),
                            "test -s \"$VOLT_PATCH_FILE\" && echo \"validated $VOLT_TASK_ID on $NODE_NAME\""),
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> engine.requests.stream()
                            .anyMatch(r -> r.getMethod().equals("GET")
                                    && r.getUrl().encodedPath().equals("/v1/codegen/jobs/job-tokens")));
            ((CpsFlowExecution) b.getExecution()).waitForSuspension();
            GatedLauncher.open = false; // the agent does not reconnect with the new controller
        });
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("on-agent", WorkflowJob.class).getBuildByNumber(1);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> JenkinsRule.getLog(b).contains("Waiting for reconnection of builder")
                            || JenkinsRule.getLog(b).contains("[volt] resumed after a controller restart"));
            engine.holdJobs.set(false);
            GatedLauncher.open = true;
            j.jenkins.getComputer("builder").connect(false);

            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("validated tokens on builder", b);
            j.assertLogContains("status=completed", b);
        });
    }

    /** An agent launcher the test can hold shut, so that the agent stays offline after a controller restart. */
    public static final class GatedLauncher extends ComputerLauncher {
        static volatile boolean open = true;
        private final ComputerLauncher agent;

        GatedLauncher(ComputerLauncher agent) {
            this.agent = agent;
        }

        @Override
        public boolean isLaunchSupported() {
            return true;
        }

        @Override
        public void launch(SlaveComputer computer, TaskListener listener) throws IOException, InterruptedException {
            if (open) {
                agent.launch(computer, listener);
            } else {
                listener.getLogger().println("held offline by the test");
            }
        }

        @Override
        public void afterDisconnect(SlaveComputer computer, TaskListener listener) {
            agent.afterDisconnect(computer, listener);
        }

        @TestExtension("aStepResumedWhileItsAgentIsOfflineValidatesOnceTheAgentIsBack")
        public static final class DescriptorImpl extends Descriptor<ComputerLauncher> {}
    }
}
