package io.voltworkflow.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.store.EventCodec;
import io.voltworkflow.core.store.InMemoryWorkflowStore;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.testing.FakeEngines;
import io.voltworkflow.core.testing.GatedSteps;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Garbage and damaged event records through the store's codec and the public JSON reader: every input decodes to a
 * record that round-trips, or is refused with the documented exception type and a message. The valid records come
 * from real workflows that exercise every event type.
 */
class EventDecodingFuzzTest {
    private static final List<EventRecord> REAL_EVENTS = realEvents();
    private static final AtomicInteger DECODED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger NOT_RESTORABLE = new AtomicInteger();
    private static final AtomicInteger MAPPER_READS = new AtomicInteger();
    private static final AtomicInteger MAPPER_UNCHECKED = new AtomicInteger();

    @AfterContainer
    static void summary() {
        System.out.printf(
                "bad-input events: %d inputs, %d decoded and round-tripped, %d refused with a message, "
                        + "0 other exceptions, %d decoded but not decodable after re-encoding (core gap); public mapper: %d reads, %d refused with an unchecked value exception instead of "
                        + "JsonProcessingException (core gap)%n",
                DECODED.get() + REFUSED.get() + NOT_RESTORABLE.get(),
                DECODED.get(),
                REFUSED.get(),
                NOT_RESTORABLE.get(),
                MAPPER_READS.get(),
                MAPPER_UNCHECKED.get());
    }

    @Example
    void theSampleCoversEveryEventType() {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        REAL_EVENTS.forEach(r -> types.add(r.type()));
        assertThat(types).containsExactlyInAnyOrder(EventType.values());
        for (EventRecord record : REAL_EVENTS) {
            assertThat(EventCodec.decode(EventCodec.encode(record))).isEqualTo(record);
        }
    }

    @Property(tries = 500, seed = "20261125")
    void randomBytesAreRefusedByTheCodec(@ForAll("garbage") byte[] bytes) {
        decodeWithCodec(bytes);
    }

    @Property(tries = 1500, seed = "20261125")
    void damagedRecordsDecodeConsistentlyOrAreRefused(@ForAll("damagedRecords") byte[] bytes) {
        decodeWithCodec(bytes);
        readWithPublicMapper(bytes);
    }

    @Property(tries = 800, seed = "20261125")
    void recordsWithWrongFieldValuesAreRefused(@ForAll("wrongFields") byte[] bytes) {
        decodeWithCodec(bytes);
        readWithPublicMapper(bytes);
    }

    private static void decodeWithCodec(byte[] bytes) {
        EventRecord decoded;
        try {
            decoded = EventCodec.decode(bytes);
        } catch (StoreException e) {
            assertThat(e.getMessage()).startsWith("undecodable event record").hasSizeGreaterThan(30);
            REFUSED.incrementAndGet();
            return;
        }
        // The compact codec drops empty values ({} and [] read back as absent), so one pass normalizes; after that a
        // record must survive encoding unchanged. Wanted: every decoded record can be stored again; today an event
        // whose required collection is empty cannot (counted, see docs/reliability.md).
        EventRecord normalized;
        try {
            normalized = EventCodec.decode(EventCodec.encode(decoded));
        } catch (StoreException e) {
            assertThat(e.getMessage()).contains("is null");
            NOT_RESTORABLE.incrementAndGet();
            return;
        }
        assertThat(EventCodec.decode(EventCodec.encode(normalized))).isEqualTo(normalized);
        DECODED.incrementAndGet();
    }

    /**
     * Hosts read events (WebSocket clients, the CLI) with the public mapper. Wanted: Jackson's checked exception only;
     * today a well-formed record with an invalid id, timestamp or sequence escapes as the value type's
     * {@link IllegalArgumentException} or {@link java.time.DateTimeException} (counted, see docs/reliability.md).
     * Nothing else may escape.
     */
    private static void readWithPublicMapper(byte[] bytes) {
        MAPPER_READS.incrementAndGet();
        Throwable thrown = catchThrowable(() -> WorkflowJson.mapper().readValue(bytes, EventRecord.class));
        if (thrown instanceof IllegalArgumentException || thrown instanceof java.time.DateTimeException) {
            MAPPER_UNCHECKED.incrementAndGet();
        } else if (thrown != null) {
            assertThat(thrown).isInstanceOf(JsonProcessingException.class);
        }
        if (thrown != null) {
            assertThat(thrown.getMessage()).isNotBlank();
        }
    }

    // ------------------------------------------------------------------------------------------------ generators

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.strings().all().ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(
                                "",
                                "{",
                                "[]",
                                "null",
                                "{}",
                                "\"event\"",
                                "{\"type\":null}",
                                "\uFEFF{}",
                                "{\"a\":1}{\"b\":2}")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers()
                        .between(1, 20_000)
                        .map(depth -> "[".repeat(depth).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers()
                        .between(1, 20_000)
                        .map(depth -> "{\"a\":".repeat(depth).getBytes(StandardCharsets.UTF_8)));
    }

    /** Real encoded records with bytes flipped, cut, duplicated or inserted. */
    @Provide
    Arbitrary<byte[]> damagedRecords() {
        return Combinators.combine(
                        Arbitraries.of(REAL_EVENTS),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(1, 4))
                .as((record, seed, damages) -> {
                    byte[] bytes = EventCodec.encode(record);
                    Random random = new Random(seed);
                    for (int i = 0; i < damages; i++) {
                        bytes = damage(bytes, random);
                    }
                    return bytes;
                });
    }

    private static byte[] damage(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        int at = random.nextInt(bytes.length);
        byte[] copy;
        switch (random.nextInt(5)) {
            case 0 -> {
                copy = bytes.clone();
                copy[at] ^= (byte) (1 << random.nextInt(8));
            }
            case 1 -> copy = java.util.Arrays.copyOf(bytes, at);
            case 2 -> {
                copy = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, copy, 0, at);
                String structural = "{}[],:\"\\0-e.9";
                copy[at] = (byte) structural.charAt(random.nextInt(structural.length()));
                System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
            }
            case 3 -> {
                copy = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, copy, 0, at);
                System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
            }
            default -> {
                copy = bytes.clone();
                copy[at] = (byte) random.nextInt(256);
            }
        }
        return copy;
    }

    /** Real records with one field (at any depth) removed or replaced by a value of the wrong kind. */
    @Provide
    Arbitrary<byte[]> wrongFields() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> replacement = Arbitraries.of(
                f.nullNode(),
                f.textNode(""),
                f.textNode("not-a-value"),
                f.textNode("bad id!"),
                f.numberNode(-1),
                f.numberNode(0),
                f.numberNode(Long.MAX_VALUE),
                f.numberNode(1e308),
                f.booleanNode(true),
                f.arrayNode(),
                f.objectNode(),
                f.textNode("2026-13-45T99:99:99Z"),
                f.textNode("workflow_exploded"),
                f.textNode("Z".repeat(5000)));
        return Combinators.combine(
                        Arbitraries.of(REAL_EVENTS), Arbitraries.longs(), replacement, Arbitraries.of(true, false))
                .as((record, seed, value, remove) -> {
                    ObjectNode tree = WorkflowJson.compactMapper().valueToTree(record);
                    List<ObjectNode> parents = new ArrayList<>();
                    collectObjects(tree, parents);
                    ObjectNode parent = parents.get(new Random(seed).nextInt(parents.size()));
                    List<String> fields = new ArrayList<>();
                    parent.fieldNames().forEachRemaining(fields::add);
                    if (!fields.isEmpty()) {
                        String field = fields.get(new Random(~seed).nextInt(fields.size()));
                        if (remove) {
                            parent.remove(field);
                        } else {
                            parent.set(field, value);
                        }
                    }
                    return tree.toString().getBytes(StandardCharsets.UTF_8);
                });
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collectObjects(children.next(), into);
        }
    }

    /**
     * A standard plan (every event type of a successful run), a gated workflow that retries, pauses and fails, and a
     * store's record of lost history.
     */
    private static List<EventRecord> realEvents() {
        VirtualTimeSource clock = new VirtualTimeSource();
        GatedSteps gated = new GatedSteps();
        AtomicInteger validations = new AtomicInteger();
        // The first validation fails, so the sample has a repair round.
        FakeEngines fake = new FakeEngines(2, true) {
            @Override
            public java.util.concurrent.CompletionStage<io.voltworkflow.core.engine.ValidationResult> validate(
                    io.voltworkflow.core.engine.ValidationRequest request,
                    io.voltworkflow.core.engine.EngineContext context) {
                return validations.getAndIncrement() > 0
                        ? super.validate(request, context)
                        : java.util.concurrent.CompletableFuture.completedFuture(
                                new io.voltworkflow.core.engine.ValidationResult(
                                        false,
                                        1,
                                        1,
                                        0,
                                        0,
                                        "1 test failed",
                                        List.of("T1Test.works: expected 1 but was 2"),
                                        null));
            }
        };
        AtomicInteger ids = new AtomicInteger();
        List<EventRecord> events = new ArrayList<>();
        try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .store(new InMemoryWorkflowStore())
                .engines(fake.engines().toBuilder().customStep("work", gated).build())
                .timeSource(clock)
                .random(() -> 0.5)
                .idGenerator(() -> WorkflowId.of("wf-sample-" + ids.incrementAndGet()))
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(2)
                        .initialInterval(Duration.ofSeconds(1))
                        .jitter(0)
                        .build())
                .build())) {
            WorkflowId standard = orchestrator
                    .createWorkflow("Sample requirement", Map.of("language", "Java"), WorkflowOptions.DEFAULTS)
                    .workflowId();
            orchestrator.startWorkflow(standard);

            StepType work = StepType.of("work");
            WorkflowId custom = orchestrator
                    .createWorkflow(new WorkflowDefinition(
                            "custom",
                            null,
                            List.of(
                                    StepDefinition.of("a", work),
                                    StepDefinition.of("b", work, "a"),
                                    StepDefinition.of("c", work, "a")),
                            WorkflowOptions.DEFAULTS))
                    .workflowId();
            orchestrator.startWorkflow(custom);
            gated.invocations().get(0).context().progress("halfway");
            gated.invocations()
                    .get(0)
                    .context()
                    .saveCheckpoint(JsonNodeFactory.instance.objectNode().put("job", "j1"))
                    .toCompletableFuture()
                    .join();
            gated.fail("a", StepError.retryable(StepError.NETWORK_ERROR, "flaky"));
            clock.advance(Duration.ofSeconds(1));
            gated.complete("a");
            var unused = orchestrator.pauseWorkflow(custom); // the sample needs the pause record, not its completion
            orchestrator.resumeWorkflow(custom);
            gated.fail("b", StepError.recoverable(StepError.VALIDATION_FAILED, "broken"));
            orchestrator.resumeWorkflow(custom);
            orchestrator.cancelWorkflow(custom, "enough");

            events.addAll(orchestrator.events(standard, 0, 1000));
            events.addAll(orchestrator.events(custom, 0, 1000));
            // A store writes this one itself when it finds damaged records; no workflow run produces it.
            EventRecord last = events.get(events.size() - 1);
            events.add(new EventRecord(
                    last.workflowId(),
                    last.sequence() + 2,
                    last.timestamp(),
                    new WorkflowEvent.HistoryLost(
                            last.sequence() + 1, last.sequence() + 2, true, "checksum mismatch")));
        }
        return List.copyOf(events);
    }
}
