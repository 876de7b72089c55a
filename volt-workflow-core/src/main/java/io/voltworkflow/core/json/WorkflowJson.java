package io.voltworkflow.core.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one JSON shape of workflows, events and analytics (docs/status-json.md). Hosts serialize with
 * {@link #mapper()}; the store uses {@link #compactMapper()}, which omits nulls to keep records small. Both read either form.
 */
public final class WorkflowJson {
    private static final Map<EventType, Class<? extends WorkflowEvent>> EVENT_CLASSES = eventClasses();
    private static final ObjectMapper MAPPER = build(JsonInclude.Include.ALWAYS);
    // NON_NULL, not NON_EMPTY: an empty object is a value (a step's output `{}`), and must come back as one.
    private static final ObjectMapper COMPACT = build(JsonInclude.Include.NON_NULL);

    private WorkflowJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectMapper compactMapper() {
        return COMPACT;
    }

    /**
     * Reads an event record as a store wrote it with {@link #compactMapper()}: the encoder's exact form is read
     * straight into the records, anything else by the mapper, so the result and every error are the mapper's.
     */
    public static EventRecord readStoredEvent(byte[] bytes) throws IOException {
        EventRecord record = CompactEventReader.read(COMPACT, bytes);
        return record != null ? record : COMPACT.readValue(bytes, EventRecord.class);
    }

    /** Serializes any status, event or analytics value in the public shape. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Converts a JSON-compatible Java value (maps, lists, strings, numbers) to a tree, naming what is not. */
    public static JsonNode toTree(Object value) {
        checkDepth(value, 0);
        try {
            return MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("value is not JSON-compatible: " + e.getMessage(), e);
        }
    }

    /** Deepest nesting of maps and lists accepted from Java callers; deeper (or self-referencing) values are refused. */
    public static final int MAX_DEPTH = 64;

    private static void checkDepth(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "value is nested deeper than " + MAX_DEPTH + " levels (or contains itself)");
        }
        if (value instanceof Map<?, ?> map) {
            for (Object element : map.values()) {
                checkDepth(element, depth + 1);
            }
        } else if (value instanceof Iterable<?> iterable) {
            for (Object element : iterable) {
                checkDepth(element, depth + 1);
            }
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                checkDepth(element, depth + 1);
            }
        }
    }

    private static ObjectMapper build(JsonInclude.Include inclusion) {
        SimpleModule module = new SimpleModule("volt-workflow");
        module.addSerializer(WorkflowId.class, toStringSerializer(WorkflowId::value));
        module.addDeserializer(WorkflowId.class, fromString(WorkflowId::new));
        module.addSerializer(StepType.class, toStringSerializer(StepType::id));
        module.addDeserializer(StepType.class, fromString(StepType::of));
        module.addSerializer(WorkflowState.class, toStringSerializer(WorkflowState::wireName));
        module.addDeserializer(WorkflowState.class, fromString(WorkflowState::fromWireName));
        module.addSerializer(StepState.class, toStringSerializer(StepState::wireName));
        module.addDeserializer(StepState.class, fromString(StepState::fromWireName));
        module.addSerializer(EventType.class, toStringSerializer(EventType::wireName));
        module.addDeserializer(EventType.class, fromString(EventType::fromWireName));
        module.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeNumber(value.toMillis());
            }
        });
        module.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                return Duration.ofMillis(p.getValueAsLong());
            }
        });
        module.addSerializer(EventRecord.class, new EventRecordSerializer());
        module.addDeserializer(EventRecord.class, new EventRecordDeserializer());
        return JsonMapper.builder()
                .addMixIn(WorkflowEvent.class, EventDataMixin.class)
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(module)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .defaultPropertyInclusion(JsonInclude.Value.construct(inclusion, inclusion))
                .build();
    }

    private static <T> JsonSerializer<T> toStringSerializer(java.util.function.Function<T, String> toString) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(toString.apply(value));
            }
        };
    }

    private static <T> JsonDeserializer<T> fromString(java.util.function.Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                try {
                    return parse.apply(text);
                } catch (IllegalArgumentException e) {
                    throw ctx.weirdStringException(text, handledType(), e.getMessage());
                }
            }
        };
    }

    /** An event's step is written next to its data, not inside it; reading accepts it inside. */
    @JsonIgnoreProperties(value = "step", allowSetters = true)
    private abstract static class EventDataMixin {}

    /** {"workflowId","sequence","timestamp","type","step","data"}: the event wire shape. */
    private static final class EventRecordSerializer extends JsonSerializer<EventRecord> {
        @Override
        public void serialize(EventRecord record, JsonGenerator gen, SerializerProvider provider) throws IOException {
            ObjectMapper codec = (ObjectMapper) gen.getCodec();
            gen.writeStartObject();
            gen.writeStringField("workflowId", record.workflowId().value());
            gen.writeNumberField("sequence", record.sequence());
            gen.writeStringField("timestamp", EventTimestamps.format(record.timestamp()));
            gen.writeStringField("type", record.type().wireName());
            String step = record.event().step();
            if (step != null) {
                gen.writeStringField("step", step);
            } else if (codec.getSerializationConfig()
                            .getDefaultPropertyInclusion()
                            .getValueInclusion()
                    == JsonInclude.Include.ALWAYS) {
                gen.writeNullField("step");
            }
            gen.writeFieldName("data");
            // Streamed, not built as a tree: this runs for every stored event. "step" is left out by EventDataMixin.
            provider.findValueSerializer(record.event().getClass()).serialize(record.event(), gen, provider);
            gen.writeEndObject();
        }
    }

    /**
     * Streams: reads the envelope field by field, buffers only {@code data} as tokens and binds the event straight from
     * them (with the envelope's {@code step} put in), so no tree is built for the thousands of records a replay reads.
     */
    private static final class EventRecordDeserializer extends JsonDeserializer<EventRecord> {
        @Override
        public EventRecord deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                throw ctx.wrongTokenException(
                        p, EventRecord.class, JsonToken.START_OBJECT, "an event is a JSON object");
            }
            String workflowId = null;
            String timestamp = null;
            String type = null;
            String step = null;
            Long sequence = null;
            TokenBuffer data = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                switch (field) {
                    case "workflowId" -> workflowId = scalar(p, value);
                    case "timestamp" -> timestamp = scalar(p, value);
                    case "type" -> type = scalar(p, value);
                    case "step" -> step = scalar(p, value);
                    case "sequence" -> sequence = value == JsonToken.VALUE_NULL ? null : scalarLong(p, value);
                    case "data" -> {
                        if (value == JsonToken.START_OBJECT) {
                            data = ctx.bufferAsCopyOfValue(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            try {
                EventType eventType = EventType.fromWireName(required(type, "type", ctx));
                WorkflowEvent event = ctx.readValue(eventData(p, ctx, data, step), EVENT_CLASSES.get(eventType));
                return new EventRecord(
                        new WorkflowId(required(workflowId, "workflowId", ctx)),
                        required(sequence, "sequence", ctx),
                        EventTimestamps.parse(required(timestamp, "timestamp", ctx)),
                        event);
            } catch (IllegalArgumentException | java.time.DateTimeException | NullPointerException e) {
                // Values the model refuses (unknown type, bad id, sequence 0, bad time) are malformed input, not bugs.
                throw com.fasterxml.jackson.databind.JsonMappingException.from(
                        p, "invalid event: " + e.getMessage(), e);
            }
        }

        /** The event's fields: the envelope's {@code step} (which wins over one inside {@code data}), then {@code data}'s. */
        private static JsonParser eventData(
                JsonParser p, DeserializationContext ctx, @Nullable TokenBuffer data, @Nullable String step)
                throws IOException {
            TokenBuffer merged = new TokenBuffer(p, ctx);
            merged.writeStartObject();
            if (step != null) {
                merged.writeStringField("step", step);
            }
            if (data != null) {
                JsonParser fields = data.asParser(p.getCodec());
                fields.nextToken();
                while (fields.nextToken() == JsonToken.FIELD_NAME) {
                    if (step != null && "step".equals(fields.currentName())) {
                        fields.nextToken();
                        fields.skipChildren();
                    } else {
                        merged.copyCurrentStructure(fields);
                    }
                }
            }
            merged.writeEndObject();
            JsonParser parser = merged.asParser(p.getCodec());
            parser.nextToken();
            return parser;
        }

        /** A scalar's text; a structure where a scalar belongs reads as empty text, which the model then refuses. */
        private static @Nullable String scalar(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value.isStructStart()) {
                p.skipChildren();
                return "";
            }
            return p.getValueAsString();
        }

        private static long scalarLong(JsonParser p, JsonToken value) throws IOException {
            if (value.isStructStart()) {
                p.skipChildren();
                return 0;
            }
            return p.getValueAsLong();
        }

        private static <T> T required(@Nullable T value, String field, DeserializationContext ctx) throws IOException {
            if (value == null) {
                throw ctx.weirdStringException("", EventRecord.class, "event has no '" + field + "'");
            }
            return value;
        }
    }

    private static Map<EventType, Class<? extends WorkflowEvent>> eventClasses() {
        Map<EventType, Class<? extends WorkflowEvent>> classes = new EnumMap<>(EventType.class);
        classes.put(EventType.WORKFLOW_CREATED, WorkflowEvent.WorkflowCreated.class);
        classes.put(EventType.WORKFLOW_INITIALIZED, WorkflowEvent.WorkflowInitialized.class);
        classes.put(EventType.WORKFLOW_STARTED, WorkflowEvent.WorkflowStarted.class);
        classes.put(EventType.WORKFLOW_PROGRESS, WorkflowEvent.WorkflowProgress.class);
        classes.put(EventType.WORKFLOW_PAUSED, WorkflowEvent.WorkflowPaused.class);
        classes.put(EventType.WORKFLOW_RESUMED, WorkflowEvent.WorkflowResumed.class);
        classes.put(EventType.WORKFLOW_COMPLETED, WorkflowEvent.WorkflowCompleted.class);
        classes.put(EventType.WORKFLOW_FAILED, WorkflowEvent.WorkflowFailed.class);
        classes.put(EventType.WORKFLOW_CANCELLED, WorkflowEvent.WorkflowCancelled.class);
        classes.put(EventType.WORKFLOW_EXPANDED, WorkflowEvent.WorkflowExpanded.class);
        classes.put(EventType.HISTORY_LOST, WorkflowEvent.HistoryLost.class);
        classes.put(EventType.STEP_STARTED, WorkflowEvent.StepStarted.class);
        classes.put(EventType.STEP_PROGRESS, WorkflowEvent.StepProgress.class);
        classes.put(EventType.STEP_CHECKPOINTED, WorkflowEvent.StepCheckpointed.class);
        classes.put(EventType.STEP_COMPLETED, WorkflowEvent.StepCompleted.class);
        classes.put(EventType.STEP_FAILED, WorkflowEvent.StepFailed.class);
        classes.put(EventType.STEP_RETRYING, WorkflowEvent.StepRetrying.class);
        classes.put(EventType.STEP_CANCELLED, WorkflowEvent.StepCancelled.class);
        classes.put(EventType.REPAIR_ROUND_STARTED, WorkflowEvent.RepairRoundStarted.class);
        if (classes.size() != EventType.values().length) {
            throw new IllegalStateException("every event type needs a record class");
        }
        return classes;
    }
}
