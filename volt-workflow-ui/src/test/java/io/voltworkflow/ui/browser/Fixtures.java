package io.voltworkflow.ui.browser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/** Workflows and analytics the fake API serves. */
final class Fixtures {

    /** Model output that would run script if the page ever parsed it as HTML. */
    static final String HOSTILE_OUTPUT = "<img src=x onerror=alert(1)><script>alert(2)</script>";

    private Fixtures() {}

    /**
     * A running workflow with four tasks, showing every kind of step: completed, running (task 2 in a repair round,
     * streaming), waiting for a retry, failed after retries and pending. Task 1's generated code is hostile markup.
     */
    static FakeWorkflow running(String id) {
        Map<String, String> states = Map.of(
                "Requirement Analysis", "completed",
                "Task Creation", "completed",
                "Generate Code for Task 1", "completed",
                "Validate Task 1", "completed",
                "Generate Code for Task 2", "running",
                "Generate Code for Task 3", "retry_wait",
                "Generate Code for Task 4", "completed",
                "Validate Task 4", "failed");
        FakeWorkflow workflow = FakeWorkflow.pipeline(
                id,
                "Implement user authentication with JWT tokens",
                Instant.now().minusSeconds(12),
                4,
                false,
                step -> states.getOrDefault(step, "pending"));
        workflow.context("framework", "Express.js")
                .context("language", "TypeScript")
                .state("running");
        workflow.step("Generate Code for Task 1")
                .putObject("output")
                .put("file", "src/auth/login.ts")
                .put("code", HOSTILE_OUTPUT);
        workflow.step("Generate Code for Task 2")
                .put("repairRound", 1)
                .put("maxRepairRounds", 2)
                .put(
                        "progressMessage",
                        "openai:gpt-4o generating: ~1.2k tokens (4812 characters) received, 9 s elapsed");
        workflow.step("Validate Task 2").put("repairRound", 1).put("maxRepairRounds", 2);
        workflow.stepError("Generate Code for Task 3", 2, "NETWORK_ERROR", "connection reset by model endpoint", true);
        workflow.stepError(
                "Validate Task 4",
                3,
                "VALIDATION_FAILED",
                "3 of 41 tests failed: token refresh rejects expired tokens",
                false);
        workflow.seedHistory();
        workflow.appendEvent(
                "step_progress",
                "Generate Code for Task 2",
                FakeWorkflow.JSON.createObjectNode().put("message", HOSTILE_OUTPUT),
                Instant.now());
        return workflow;
    }

    /** A finished pipeline with the given number of tasks (3 + 2 × tasks steps). */
    static FakeWorkflow finished(String id, String requirement, int tasks, String state, Instant createdAt) {
        FakeWorkflow workflow = FakeWorkflow.pipeline(
                id,
                requirement,
                createdAt,
                tasks,
                false,
                step -> state.equals("completed") || !step.equals("Completion")
                        ? "completed"
                        : state.equals("failed") ? "failed" : "cancelled");
        return workflow.state(state).seedHistory();
    }

    /** A finished workflow whose tasks each depend on the previous one: a deep, narrow graph. */
    static FakeWorkflow chained(String id, int tasks) {
        return FakeWorkflow.pipeline(
                        id,
                        "Refactor the payment module step by step",
                        Instant.now().minusSeconds(60),
                        tasks,
                        true,
                        step -> "completed")
                .state("completed")
                .seedHistory();
    }

    static ObjectNode analytics() {
        ObjectNode analytics = FakeWorkflow.JSON.createObjectNode();
        analytics
                .put("totalWorkflows", 12)
                .put("completedWorkflows", 9)
                .put("failedWorkflows", 1)
                .put("cancelledWorkflows", 1)
                .put("activeWorkflows", 1)
                .put("averageDurationMs", 5321)
                .put("stepSuccessRate", 0.97)
                .put("retries", 4);
        analytics
                .putObject("repair")
                .put("tasksValidated", 20)
                .put("tasksPassedFirstTime", 16)
                .put("tasksRepaired", 4)
                .put("tasksPassedAfterRepair", 3)
                .put("rounds", 6)
                .put("firstPassRate", 0.8)
                .put("repairSuccessRate", 0.75)
                .put("roundsPerRepairedTask", 1.5)
                .put("tokensPerRound", 4200)
                .put("costPerRoundUsd", 0.0375)
                .putObject("repairUsage")
                .put("inputTokens", 18000)
                .put("outputTokens", 7200)
                .put("costUsd", 0.225);
        ObjectNode latency = analytics.putObject("stepLatency");
        latency.putObject("analysis")
                .put("count", 12)
                .put("p50Ms", 1100)
                .put("p90Ms", 1900)
                .put("p99Ms", 2600)
                .put("maxMs", 2700);
        latency.putObject("task_creation")
                .put("count", 12)
                .put("p50Ms", 640)
                .put("p90Ms", 980)
                .put("p99Ms", 1300)
                .put("maxMs", 1350);
        latency.putObject("codegen")
                .put("count", 20)
                .put("p50Ms", 2410)
                .put("p90Ms", 3900)
                .put("p99Ms", 5200)
                .put("maxMs", 5300);
        latency.putObject("validation")
                .put("count", 20)
                .put("p50Ms", 810)
                .put("p90Ms", 1500)
                .put("p99Ms", 2100)
                .put("maxMs", 2400);
        latency.putObject("completion")
                .put("count", 9)
                .put("p50Ms", 210)
                .put("p90Ms", 330)
                .put("p99Ms", 400)
                .put("maxMs", 410);
        return analytics;
    }
}
