package io.jenkins.plugins.voltworkflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import io.jenkins.plugins.voltworkflow.progress.ConsoleLines;
import io.jenkins.plugins.voltworkflow.workspace.AgentValidationEngine;
import io.jenkins.plugins.voltworkflow.workspace.ProcessCommandRunner;
import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's runtime over the real orchestrator: milestones in the order a Jenkinsfile waits for them, the
 * result maps the steps return, console lines, and validation run by a real process in a workspace that a step
 * lends.
 */
class BuildWorkflowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workspace;

    private final StandInEngines engines = new StandInEngines();
    private BuildWorkflow workflow;

    @AfterEach
    void close() {
        if (workflow != null) {
            workflow.close();
        }
    }

    private BuildWorkflow open(String validationCommand) {
        WorkflowRequest request = WorkflowRequest.of(
                "volt",
                "Implement user authentication with JWT tokens",
                Map.of("framework", "Express.js"),
                List.of(EngineSpec.of("validation", "command", null, null, null, validationCommand)),
                List.of(),
                WorkflowLimits.DEFAULTS);
        EngineFactory factory = (r, workspaces) -> Engines.builder()
                .nlp(engines)
                .codegen(engines)
                .validation(new AgentValidationEngine(
                        r.engine(EngineRole.VALIDATION).command(), workspaces))
                .build();
        workflow = BuildWorkflow.open(
                WorkflowId.of("jenkins-app-7-volt-0a1b2c3d"), request, new InMemoryWorkflowStore(), factory);
        return workflow;
    }

    @Test
    @SuppressWarnings("try") // the offer lasts until the workflow completes
    void milestonesArriveInPlanOrderAndValidationWaitsForAWorkspace() throws Exception {
        open("test -s \"$VOLT_PATCH_FILE\" && echo \"validated $VOLT_TASK_ID\"");
        workflow.ensureStarted(false);

        WorkflowStatus planned = get(workflow.await(Milestone.plan()));
        assertThat(ResultMaps.plan(planned)).containsEntry("summary", "login with JWT");
        assertThat(PlanView.tasks(planned)).extracting(PlanView.TaskSteps::id).containsExactly("tokens", "login");

        WorkflowStatus generated = get(workflow.await(Milestone.codegen("tokens")));
        Map<String, Object> codegen = ResultMaps.forMilestone(Milestone.codegen("tokens"), generated);
        assertThat(codegen).containsEntry("id", "tokens");
        @SuppressWarnings("unchecked")
        Map<String, Object> codegenOutcome = (Map<String, Object>) codegen.get("codegen");
        assertThat(codegenOutcome)
                .containsEntry("state", "completed")
                .containsEntry("patchReference", "patches/tokens.patch");

        CompletableFuture<WorkflowStatus> validated = workflow.await(Milestone.validation("tokens"));
        assertThat(validated).isNotDone(); // no step has lent a workspace yet
        ProcessCommandRunner agent = new ProcessCommandRunner(workspace);
        try (WorkspaceBroker.Offer offer = workflow.workspaces().offer(null, agent)) {
            WorkflowStatus done = get(workflow.await(Milestone.workflow()));
            assertThat(done.state()).isEqualTo(WorkflowState.COMPLETED);
            assertThat(get(validated).state()).isIn(WorkflowState.RUNNING, WorkflowState.COMPLETED);
        }
        assertThat(agent.output()).contains("validated tokens", "validated login");
        assertThat(Files.readString(workspace.resolve(".volt/login.patch"))).contains("+++ b/login");
        assertThat(engines.submissions).containsEntry("tokens", 1).containsEntry("login", 1);

        Map<String, Object> result = ResultMaps.workflow(workflow.status());
        assertThat(result).containsEntry("status", "completed").containsEntry("totalSteps", 7);
        assertThat((List<?>) result.get("tasks")).hasSize(2);
        assertThat(ResultMaps.failure(workflow.status())).isEmpty();
    }

    @Test
    @SuppressWarnings("try") // the offer lasts until the workflow completes
    void afterARestartValidationsWaitQuietlyForTheWorkspaceTheResumedStepLendsAgain(@TempDir Path build)
            throws Exception {
        WorkflowRequest request =
                WorkflowRequest.of("volt", "Add login", Map.of(), List.of(), List.of(), WorkflowLimits.DEFAULTS);
        WorkflowId id = WorkflowId.of("jenkins-app-7-volt-0a1b2c3d");
        java.util.concurrent.Semaphore asked = new java.util.concurrent.Semaphore(0);
        EngineFactory factory = (r, workspaces) -> Engines.builder()
                .nlp(engines)
                .codegen(engines)
                .validation((validation, context) -> {
                    var verdict = new AgentValidationEngine("true", workspaces).validate(validation, context);
                    asked.release();
                    return verdict;
                })
                .build();
        // Before the restart no step lends a workspace: the validation says where one comes from.
        workflow = BuildWorkflow.open(id, request, new FileWorkflowStore(build.resolve("store")), factory);
        workflow.ensureStarted(false);
        assertThat(asked.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(() -> progress(0).stream().anyMatch(message -> message.startsWith("waiting for a workspace")));
        long beforeRestart = workflow.status().lastSequence();
        workflow.close();

        // The step resumed inside node {} opens the workflow, whose validation resumes at once, then lends its
        // workspace: the validation waits for it without telling anyone to look for a node {}.
        workflow = BuildWorkflow.open(id, request, new FileWorkflowStore(build.resolve("store")), factory, true);
        assertThat(asked.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        try (WorkspaceBroker.Offer offer = workflow.workspaces().offer(null, new ProcessCommandRunner(workspace))) {
            assertThat(get(workflow.await(Milestone.workflow())).state()).isEqualTo(WorkflowState.COMPLETED);
        }
        assertThat(progress(beforeRestart)).noneMatch(message -> message.startsWith("waiting for a workspace"));
    }

    private List<String> progress(long afterSequence) {
        return workflow.events(afterSequence, 10_000).stream()
                .map(EventRecord::event)
                .filter(event -> event instanceof io.voltworkflow.core.event.WorkflowEvent.StepProgress)
                .map(event -> ((io.voltworkflow.core.event.WorkflowEvent.StepProgress) event).message())
                .toList();
    }

    @Test
    void engineConfigurationThatCannotBeBuiltLeavesTheBuildsStoreFreeForTheNextStep(@TempDir Path build) {
        WorkflowRequest request =
                WorkflowRequest.of("volt", "Add login", Map.of(), List.of(), List.of(), WorkflowLimits.DEFAULTS);
        EngineFactory refusing = (r, workspaces) -> {
            throw new IllegalArgumentException(
                    "engine of type openai has url 'http://127.0.0.1:/v1' with an empty port");
        };
        WorkflowId id = WorkflowId.of("jenkins-app-7-volt-0a1b2c3d");

        assertThatThrownBy(
                        () -> BuildWorkflow.open(id, request, new FileWorkflowStore(build.resolve("store")), refusing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty port");

        // The step that comes next (voltWorkflowStatus, the page, a corrected start) opens the same store.
        workflow = BuildWorkflow.open(
                id,
                request,
                new FileWorkflowStore(build.resolve("store")),
                (r, workspaces) -> Engines.builder()
                        .nlp(engines)
                        .codegen(engines)
                        .validation(new AgentValidationEngine("true", workspaces))
                        .build());
        assertThat(workflow.ensureStarted(false).workflowId()).isEqualTo(id);
    }

    @Test
    void ensureStartedIsIdempotent() {
        open("true");
        WorkflowStatus first = workflow.ensureStarted(false);
        WorkflowStatus again = workflow.ensureStarted(false);

        assertThat(again.workflowId()).isEqualTo(first.workflowId());
        assertThat(workflow.status().history())
                .filteredOn(t -> t.to() == WorkflowState.RUNNING)
                .hasSize(1);
    }

    @Test
    void aFailingValidationFailsItsMilestoneAndTheWorkflowWithTheCommandsOutput() throws Exception {
        open("echo \"2 tests failed in $VOLT_TASK_ID\"; exit 3");
        workflow.ensureStarted(false);
        workflow.workspaces().offer("tokens", new ProcessCommandRunner(workspace));

        assertThatThrownBy(() -> get(workflow.await(Milestone.validation("tokens"))))
                .hasCauseInstanceOf(BuildWorkflow.MilestoneMissedException.class)
                .hasMessageContaining("validation of task 'tokens' failed")
                .hasMessageContaining("exited with code 3");
        WorkflowStatus failed = get(workflow.await(Milestone.workflow()));
        assertThat(ResultMaps.failure(failed)).get().asString().contains("failed", "VALIDATION_FAILED");
    }

    @Test
    void anUnknownTaskIsMissedOnceThePlanExists() throws Exception {
        open("true");
        workflow.ensureStarted(false);

        assertThatThrownBy(() -> get(workflow.await(Milestone.codegen("payments"))))
                .hasMessageContaining("the plan has no task 'payments'; tasks: [tokens, login]");
    }

    @Test
    void consoleLinesFollowEveryEventAndTaskEventsKeepOnlyTheTasksSteps() throws Exception {
        open("true");
        List<EventRecord> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<WorkflowStatus> sawTheEnd = new CompletableFuture<>();
        workflow.ensureStarted(false);
        workflow.follow(0, event -> {
            seen.add(event);
            if (event.type() == EventType.WORKFLOW_COMPLETED) {
                sawTheEnd.complete(workflow.status());
            }
        });
        workflow.workspaces().offer(null, new ProcessCommandRunner(workspace));
        get(sawTheEnd);

        ConsoleLines lines = new ConsoleLines(new SecretMask());
        List<String> printed =
                seen.stream().map(lines::lineFor).flatMap(Optional::stream).toList();
        assertThat(printed)
                .allMatch(line -> line.startsWith("[volt] "))
                .contains("[volt] 'Requirement Analysis' started", "[volt] workflow completed");
        assertThat(seen.stream()
                        .filter(TaskEvents.codegenOf(workflow::status, "login"))
                        .map(e -> e.event().step())
                        .distinct())
                .containsExactly("Generate Code for Task login");
        assertThat(seen.stream()
                        .filter(TaskEvents.validationOf(workflow::status, "login"))
                        .map(e -> e.event().step())
                        .distinct())
                .containsExactly("Validate Task login");
    }

    private static WorkflowStatus get(CompletableFuture<WorkflowStatus> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
