package io.voltworkflow.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.core.model.RepairPolicy;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.store.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The store's event reader reads every event the encoder writes itself, into records equal to the mapper's, and
 * leaves every other input (reordered, extended, mistyped, refused) to the mapper, so results and errors are its own.
 */
class CompactEventReaderTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<EventType> EVENT_TYPES = List.of(EventType.values());

    @Test
    void readsEveryEncodedEventAsTheMapperDoes() throws Exception {
        Random random = new Random(13);
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        for (int i = 0; i < 5_000; i++) {
            EventRecord record = new EventRecord(
                    WorkflowId.of("wf-" + random.nextInt(5)),
                    1 + random.nextInt(1_000_000),
                    Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000)),
                    event(random));
            byte[] bytes = EventCodec.encode(record);
            EventRecord fast = CompactEventReader.read(WorkflowJson.compactMapper(), bytes);
            assertThat(fast).as(new String(bytes, StandardCharsets.UTF_8)).isNotNull();
            EventRecord mapped = WorkflowJson.compactMapper().readValue(bytes, EventRecord.class);
            assertThat(fast).isEqualTo(mapped).isEqualTo(record);
            // Same text again, so nested values that compare loosely (sets, maps, trees) are the same too.
            assertThat(WorkflowJson.write(fast)).isEqualTo(WorkflowJson.write(mapped));
            seen.add(record.type());
        }
        assertThat(seen).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void leavesEveryOtherFormToTheMapper() throws Exception {
        String canonical = "{\"workflowId\":\"wf-1\",\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05Z\","
                + "\"type\":\"step_started\",\"step\":\"a\",\"data\":{\"attempt\":1,\"idempotencyKey\":\"k\","
                + "\"reissued\":false}}";
        assertThat(CompactEventReader.read(WorkflowJson.compactMapper(), bytes(canonical)))
                .isNotNull();
        List<String> others = List.of(
                // Envelope in another order, or without data.
                canonical.replace("\"workflowId\":\"wf-1\",\"sequence\":3", "\"sequence\":3,\"workflowId\":\"wf-1\""),
                "{\"workflowId\":\"wf-1\",\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05Z\","
                        + "\"type\":\"workflow_started\"}",
                // Values of another kind than the encoder writes, which the mapper coerces.
                canonical.replace("\"sequence\":3", "\"sequence\":\"3\""),
                canonical.replace("\"attempt\":1", "\"attempt\":1.0"),
                canonical.replace("\"attempt\":1", "\"attempt\":\"1\""),
                // A field the encoder does not write, a repeated one, the step inside data, a null.
                canonical.replace("\"reissued\":false", "\"reissued\":false,\"extra\":1"),
                canonical.replace("\"attempt\":1", "\"attempt\":1,\"attempt\":2"),
                canonical.replace("\"attempt\":1", "\"step\":\"b\",\"attempt\":1"),
                canonical.replace("\"idempotencyKey\":\"k\"", "\"idempotencyKey\":null"),
                // A null the model allows, which the encoder leaves out.
                "{\"workflowId\":\"wf-1\",\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05Z\","
                        + "\"type\":\"workflow_paused\",\"data\":{}}");
        for (String other : others) {
            assertThat(CompactEventReader.read(WorkflowJson.compactMapper(), bytes(other)))
                    .as(other)
                    .isNull();
            assertThat(WorkflowJson.readStoredEvent(bytes(other)))
                    .as(other)
                    .isEqualTo(WorkflowJson.compactMapper().readValue(bytes(other), EventRecord.class));
        }
    }

    @Test
    void malformedEventsFailWithTheMappersError() {
        List<String> malformed = List.of(
                "{\"workflowId\":\"wf-1\",\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05Z\","
                        + "\"type\":\"step_started\",\"step\":\"a\",\"data\":{\"attempt\":1,"
                        + "\"idempotencyKey\":\"k\"}}",
                "{\"workflowId\":\"wf 1\",\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05Z\","
                        + "\"type\":\"workflow_started\",\"data\":{\"reason\":\"r\"}}",
                "{\"workflowId\":\"wf-1\",\"sequence\":0,\"timestamp\":\"2026-01-02T03:04:05Z\","
                        + "\"type\":\"workflow_started\",\"data\":{\"reason\":\"r\"}}",
                "{\"workflowId\":\"wf-1\",\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05Z\","
                        + "\"type\":\"no_such_event\",\"data\":{}}",
                "{\"workflowId\":\"wf-1\",\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05Z\","
                        + "\"type\":\"step_started\",\"step\":\"a\",\"data\":{\"attempt\":1,\"idempo",
                "{\"workflowId\":\"wf-1\",\"sequence\":3,\"timestamp\":\"2026-01-02T03:04:05Z\","
                        + "\"type\":\"workflow_created\",\"data\":{\"definition\":{\"requirementText\":\"r\","
                        + "\"projectContext\":{},\"steps\":[{\"name\":\"a\",\"type\":\"Not A Type\","
                        + "\"dependencies\":[],\"input\":{}}],\"options\":{\"workflowId\":null,"
                        + "\"maxConcurrentSteps\":0,\"deadline\":null,\"budget\":{\"maxTokens\":0,"
                        + "\"maxCostUsd\":0.0},\"labels\":{},\"repair\":{\"maxRounds\":2,\"repairOn\":[]}}}}}");
        for (String text : malformed) {
            Throwable expected =
                    catchThrowable(() -> WorkflowJson.compactMapper().readValue(bytes(text), EventRecord.class));
            assertThat(expected).as(text).isNotNull();
            assertThatThrownBy(() -> WorkflowJson.readStoredEvent(bytes(text)))
                    .as(text)
                    .isInstanceOf(expected.getClass())
                    .hasMessage(expected.getMessage());
        }
    }

    private static @Nullable Throwable catchThrowable(ThrowingCall call) {
        try {
            call.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static WorkflowEvent event(Random random) {
        EventType type = EVENT_TYPES.get(random.nextInt(EVENT_TYPES.size()));
        String step = "step " + random.nextInt(20) + (random.nextBoolean() ? "" : " \"ü\"");
        return switch (type) {
            case WORKFLOW_CREATED -> new WorkflowEvent.WorkflowCreated(definition(random));
            case WORKFLOW_INITIALIZED -> new WorkflowEvent.WorkflowInitialized(text(random));
            case WORKFLOW_STARTED -> new WorkflowEvent.WorkflowStarted(text(random));
            case WORKFLOW_PAUSED -> new WorkflowEvent.WorkflowPaused(text(random));
            case WORKFLOW_CANCELLED -> new WorkflowEvent.WorkflowCancelled(text(random));
            case WORKFLOW_PROGRESS ->
                new WorkflowEvent.WorkflowProgress(random.nextInt(10), random.nextInt(10), text(random));
            case WORKFLOW_RESUMED ->
                new WorkflowEvent.WorkflowResumed(text(random), random.nextBoolean() ? List.of() : List.of("a", "b"));
            case WORKFLOW_COMPLETED -> new WorkflowEvent.WorkflowCompleted(tree(random));
            case WORKFLOW_FAILED -> new WorkflowEvent.WorkflowFailed(error(random), step);
            case WORKFLOW_EXPANDED -> {
                Map<String, List<String>> added = new LinkedHashMap<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    added.put("v" + i, List.of("c" + i, "d" + i));
                }
                yield new WorkflowEvent.WorkflowExpanded(step, steps(random), added);
            }
            case HISTORY_LOST ->
                new WorkflowEvent.HistoryLost(
                        random.nextInt(5) + 1, random.nextInt(5) + 6, random.nextBoolean(), text(random));
            case STEP_STARTED ->
                new WorkflowEvent.StepStarted(
                        step, random.nextInt(4) + 1, "key-" + random.nextLong(), random.nextBoolean());
            case STEP_PROGRESS -> new WorkflowEvent.StepProgress(step, text(random));
            case STEP_CHECKPOINTED -> new WorkflowEvent.StepCheckpointed(step, tree(random));
            case STEP_COMPLETED ->
                new WorkflowEvent.StepCompleted(
                        step,
                        random.nextInt(4) + 1,
                        random.nextInt(100_000),
                        random.nextBoolean() ? null : tree(random),
                        random.nextBoolean() ? null : usage(random),
                        random.nextBoolean() ? null : Map.of("engine", "e" + random.nextInt(3), "model", "m"));
            case STEP_RETRYING ->
                new WorkflowEvent.StepRetrying(
                        step,
                        random.nextInt(4) + 1,
                        random.nextInt(100_000),
                        error(random),
                        random.nextInt(100_000),
                        Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000)),
                        random.nextBoolean() ? null : usage(random));
            case STEP_FAILED ->
                new WorkflowEvent.StepFailed(
                        step,
                        random.nextInt(4) + 1,
                        random.nextInt(100_000),
                        error(random),
                        usage(random),
                        random.nextBoolean() ? null : Map.of("engine", "e" + random.nextInt(3)));
            case STEP_CANCELLED -> new WorkflowEvent.StepCancelled(step, text(random));
            case REPAIR_ROUND_STARTED ->
                new WorkflowEvent.RepairRoundStarted(step, "validate " + step, random.nextInt(3) + 1, 3, error(random));
        };
    }

    private static WorkflowDefinition definition(Random random) {
        WorkflowOptions.Builder options = WorkflowOptions.builder();
        if (random.nextBoolean()) {
            options.workflowId(WorkflowId.of("chosen-" + random.nextInt(100)))
                    .maxConcurrentSteps(random.nextInt(8))
                    .deadline(Duration.ofMillis(1 + random.nextInt(1_000_000)))
                    .budget(new Budget(random.nextInt(1000), random.nextDouble() * 10))
                    .labels(Map.of("team", "a", "env", "ci " + random.nextInt(3)))
                    .repair(RepairPolicy.builder()
                            .maxRounds(random.nextInt(4))
                            .repairOn(Set.of(StepError.VALIDATION_FAILED, "LINT", "TYPES"))
                            .build());
        }
        return new WorkflowDefinition(
                "requirement " + random.nextInt(10),
                random.nextBoolean() ? null : tree(random),
                steps(random),
                options.build());
    }

    private static List<StepDefinition> steps(Random random) {
        List<StepDefinition> steps = new ArrayList<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            StepType type = random.nextBoolean() ? StepType.CODEGEN : StepType.of("custom_" + random.nextInt(3));
            StepDefinition step =
                    StepDefinition.of("s" + i, type, i > 1 ? new String[] {"s" + (i - 1)} : new String[0]);
            if (random.nextBoolean()) {
                step = step.withInput(tree(random));
            }
            if (random.nextBoolean()) {
                step = step.withTimeout(Duration.ofMillis(1 + random.nextInt(100_000)));
            }
            if (random.nextBoolean()) {
                step = step.withRetryPolicy(RetryPolicy.builder()
                        .maxAttempts(1 + random.nextInt(5))
                        .initialInterval(Duration.ofMillis(random.nextInt(1000)))
                        .backoffCoefficient(1 + random.nextDouble())
                        .jitter(random.nextDouble())
                        .nonRetryableCodes(Set.of("A", "B", "C" + random.nextInt(3)))
                        .build());
            }
            steps.add(step);
        }
        return steps;
    }

    private static StepError error(Random random) {
        return new StepError(
                "CODE_" + random.nextInt(3),
                random.nextBoolean() ? null : text(random),
                random.nextBoolean(),
                random.nextBoolean(),
                random.nextBoolean() ? null : Duration.ofMillis(random.nextInt(10_000)));
    }

    private static Usage usage(Random random) {
        return new Usage(random.nextInt(1000), random.nextInt(1000), random.nextInt(100) / 7.0);
    }

    private static String text(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "x";
            case 1 -> "";
            case 2 -> "plain text " + random.nextInt(100);
            default -> "quotes \" and \\ and \n and ✓";
        };
    }

    private static JsonNode tree(Random random) {
        ObjectNode node = NODES.objectNode();
        switch (random.nextInt(4)) {
            case 0 -> {}
            case 1 ->
                node.put("n", random.nextInt())
                        .put("big", random.nextLong() | 1L << 40)
                        .put("x", random.nextDouble());
            case 2 ->
                node.putArray("list")
                        .add("a")
                        .add(1)
                        .add(true)
                        .addNull()
                        .addObject()
                        .put("k", "v");
            default ->
                node.putObject("nested").putObject("deeper").put("s", "t").putArray("empty");
        }
        return node;
    }
}
