package io.jenkins.plugins.voltworkflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.voltworkflow.credentials.EngineSecret;
import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import io.jenkins.plugins.voltworkflow.workspace.ProcessCommandRunner;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.engines.EngineFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engines the plugin builds, for real: Volt-protocol engines over HTTP on loopback with a credential, the
 * durable file store across a "controller restart" (the orchestrator closed and opened again on the build's
 * store while code generation jobs are in flight), and the built-in engines with validation in a lent workspace.
 */
class EnginesOnLoopbackTest {

    private static final String TOKEN = "volt-token-value-0123456789";
    private static final WorkflowId ID = WorkflowId.of("jenkins-app-9-volt-00ff00ff");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path buildDirectory;

    @TempDir
    Path workspace;

    private final SecretMask mask = new SecretMask();
    private final EngineFactory engines = EngineFactory.create();
    private VoltProtocolEngine engine;
    private BuildWorkflow workflow;

    @BeforeEach
    void startEngine() throws Exception {
        engine = new VoltProtocolEngine();
    }

    @AfterEach
    void stop() {
        if (workflow != null) {
            workflow.close();
        }
        engine.close();
        engines.close();
    }

    private StandardEngineFactory factory() {
        return new StandardEngineFactory(
                engines,
                (id, url) -> {
                    if (!id.equals("volt-token")) {
                        throw new IllegalArgumentException(
                                "no credentials with id '" + id + "' are available to this build");
                    }
                    return new EngineSecret.Token(TOKEN);
                },
                mask,
                buildDirectory.resolve("builtin"));
    }

    private WorkflowRequest voltRequest() {
        List<EngineSpec> specs = List.of(
                EngineSpec.of("analysis", "volt", engine.url(), null, "volt-token", null),
                EngineSpec.of("codegen", "volt", engine.url(), null, "volt-token", null),
                EngineSpec.of("validation", "volt", engine.url(), null, "volt-token", null));
        return WorkflowRequest.of(
                "volt",
                "Implement user authentication with JWT tokens",
                Map.of("framework", "Express.js"),
                specs,
                List.of(),
                WorkflowLimits.DEFAULTS);
    }

    private BuildWorkflow open(WorkflowRequest request) {
        workflow = BuildWorkflow.open(ID, request, new FileWorkflowStore(buildDirectory.resolve("store")), factory());
        return workflow;
    }

    @Test
    void httpEnginesGetTheCredentialAndTheIdempotencyKeyAndNothingKeepsTheSecret() throws Exception {
        open(voltRequest()).ensureStarted(false);

        WorkflowStatus done = get(workflow.await(Milestone.workflow()));

        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(ResultMaps.workflow(done)).containsEntry("status", "completed");
        assertThat(engine.requests).isNotEmpty().allSatisfy(request -> {
            assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(request.getHeaders().get("Idempotency-Key")).isNotBlank();
        });
        assertThat(WorkflowJson.write(done)).doesNotContain(TOKEN);
        assertThat(PageJson.events(workflow.events(0, 1000), done.lastSequence()))
                .doesNotContain(TOKEN);
        assertThat(mask.mask("echo " + TOKEN)).isEqualTo("echo ****");
    }

    @Test
    void aRestartedControllerPollsTheJobsItSubmittedInsteadOfSubmittingThemAgain() throws Exception {
        engine.holdJobs.set(true);
        open(voltRequest()).ensureStarted(false);
        awaitCheckpoint("Generate Code for Task tokens");
        workflow.close(); // the controller stops while the code generation job is running

        engine.holdJobs.set(false);
        open(voltRequest()); // the resumed Pipeline step opens the build's store again
        WorkflowStatus done = get(workflow.await(Milestone.workflow()));

        assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
        assertThat(engine.submissions).containsEntry("tokens", 1).containsEntry("login", 1);
    }

    @Test
    void aWrongCredentialsIdFailsBeforeAnyEngineIsCalled() {
        WorkflowRequest request = WorkflowRequest.of(
                "volt",
                "Add login",
                Map.of(),
                List.of(EngineSpec.of("codegen", "openai", engine.url(), "gpt-4.1", "typo", null)),
                List.of(),
                WorkflowLimits.DEFAULTS);

        assertThatThrownBy(() -> open(request)).hasMessage("no credentials with id 'typo' are available to this build");
        assertThat(engine.requests).isEmpty();
    }

    @Test
    void builtInEnginesWorkOfflineAndValidateWithTheDetectedBuildOnTheLentWorkspace() throws Exception {
        Files.writeString(
                workspace.resolve("Makefile"), "test:\n\t@echo \"built-in validation ran for $$VOLT_TASK_ID\"\n");
        WorkflowRequest request = WorkflowRequest.of(
                "volt",
                "Add a health check endpoint returning the version",
                Map.of(),
                List.of(),
                List.of(),
                WorkflowLimits.DEFAULTS);
        ProcessCommandRunner agent = new ProcessCommandRunner(workspace);
        open(request).ensureStarted(false);
        workflow.workspaces().offer(null, agent);

        WorkflowStatus done = get(workflow.await(Milestone.workflow()));

        assertThat(done.state()).as(WorkflowJson.write(done)).isEqualTo(WorkflowState.COMPLETED);
        assertThat(PlanView.tasks(done)).isNotEmpty();
        assertThat(agent.output()).contains("built-in validation ran for");
    }

    /** Waits until the core has durably recorded the submitted job of a step (what a restart resumes from). */
    private void awaitCheckpoint(String step) throws Exception {
        CompletableFuture<Void> checkpointed = new CompletableFuture<>();
        workflow.follow(0, event -> {
            if (event.type() == EventType.STEP_CHECKPOINTED
                    && step.equals(event.event().step())) {
                checkpointed.complete(null);
            }
        });
        checkpointed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static WorkflowStatus get(CompletableFuture<WorkflowStatus> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
