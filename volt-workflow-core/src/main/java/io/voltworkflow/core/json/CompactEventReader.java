package io.voltworkflow.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads events in the exact form the store's encoder writes them, straight from the parser into the event records:
 * no token buffers, no bean binding, no tree but the JSON values an event carries. Replaying a store decodes every
 * record it holds, and binding through the general mapper (buffering {@code data}, then binding each nested record
 * reflectively) was most of that cost.
 *
 * <p>Anything else (fields in another order, a field the encoder does not write, a null where it writes a value, a
 * number of another kind, a value the model refuses) answers {@code null}, and the caller reads the bytes with the
 * general mapper: results and errors are always the mapper's own. The values this reader accepts are exactly the ones
 * the mapper binds the same way, and it calls the same constructors, so a record read here equals the mapper's.
 */
final class CompactEventReader {
    /** Custom step types seen, so replay does not check the same id against its pattern for every step. */
    private static final Map<String, StepType> STEP_TYPES = new ConcurrentHashMap<>();

    private static final int MAX_CACHED_STEP_TYPES = 1024;

    /** The last workflow id read on this thread: a replay reads one workflow's records in a row. */
    private static final ThreadLocal<@Nullable WorkflowId> LAST_ID = new ThreadLocal<>();

    private final JsonParser p;
    private final ObjectMapper mapper;

    private CompactEventReader(JsonParser p, ObjectMapper mapper) {
        this.p = p;
        this.mapper = mapper;
    }

    /** The record, or {@code null} when {@code bytes} are not in the encoder's form (then the mapper reads them). */
    static @Nullable EventRecord read(ObjectMapper mapper, byte[] bytes) {
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            return new CompactEventReader(parser, mapper).record();
        } catch (NotCompact | IOException | RuntimeException e) {
            return null;
        }
    }

    /** Raised (without a stack trace) as soon as the input leaves the encoder's form. */
    private static final class NotCompact extends Exception {
        // One shared instance is safe: it has no stack trace, no suppressed exceptions and no cause, so nothing in it
        // can change; a new one per fallback would cost an allocation on every record in another form.
        @SuppressWarnings("StaticAssignmentOfThrowable")
        private static final NotCompact INSTANCE = new NotCompact();

        private NotCompact() {
            super("not in the encoder's form", null, false, false);
        }
    }

    private static NotCompact notCompact() {
        return NotCompact.INSTANCE;
    }

    /** The envelope in the encoder's order: workflowId, sequence, timestamp, type, step (step events only), data. */
    private EventRecord record() throws IOException, NotCompact {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        field("workflowId");
        WorkflowId id = workflowId(string());
        field("sequence");
        long sequence = longValue();
        field("timestamp");
        Instant timestamp = EventTimestamps.parse(string());
        field("type");
        EventType type = EventType.fromWireName(string());
        String name = p.nextFieldName();
        String step = null;
        if ("step".equals(name)) {
            step = string();
            name = p.nextFieldName();
        }
        if (!"data".equals(name)) {
            throw notCompact();
        }
        expect(p.nextToken(), JsonToken.START_OBJECT);
        WorkflowEvent event = event(type, step);
        if (p.nextToken() != JsonToken.END_OBJECT || (event.step() == null) != (step == null)) {
            throw notCompact();
        }
        return new EventRecord(id, sequence, timestamp, event);
    }

    /** The event's {@code data} object, after its start; the envelope's {@code step} goes into step events. */
    private WorkflowEvent event(EventType type, @Nullable String envelopeStep) throws IOException, NotCompact {
        Fields f = fields();
        String step = envelopeStep == null ? "" : envelopeStep;
        return switch (type) {
            case WORKFLOW_CREATED -> new WorkflowEvent.WorkflowCreated(f.required("definition"));
            case WORKFLOW_INITIALIZED -> new WorkflowEvent.WorkflowInitialized(f.string("reason"));
            case WORKFLOW_STARTED -> new WorkflowEvent.WorkflowStarted(f.string("reason"));
            case WORKFLOW_PAUSED -> new WorkflowEvent.WorkflowPaused(f.string("reason"));
            case WORKFLOW_CANCELLED -> new WorkflowEvent.WorkflowCancelled(f.string("reason"));
            case WORKFLOW_PROGRESS ->
                new WorkflowEvent.WorkflowProgress(
                        f.intValue("completedSteps"), f.intValue("totalSteps"), f.string("message"));
            case WORKFLOW_RESUMED -> new WorkflowEvent.WorkflowResumed(f.string("reason"), f.required("rerunSteps"));
            case WORKFLOW_COMPLETED -> new WorkflowEvent.WorkflowCompleted(f.required("result"));
            case WORKFLOW_FAILED -> new WorkflowEvent.WorkflowFailed(f.required("error"), f.string("failedStep"));
            case WORKFLOW_EXPANDED ->
                new WorkflowEvent.WorkflowExpanded(step, f.required("addedSteps"), f.required("addedDependencies"));
            case HISTORY_LOST ->
                new WorkflowEvent.HistoryLost(
                        f.longValue("fromSequence"), f.longValue("toSequence"), f.bool("certain"), f.string("reason"));
            case STEP_STARTED ->
                new WorkflowEvent.StepStarted(
                        step, f.intValue("attempt"), f.string("idempotencyKey"), f.bool("reissued"));
            case STEP_PROGRESS -> new WorkflowEvent.StepProgress(step, f.string("message"));
            case STEP_CHECKPOINTED -> new WorkflowEvent.StepCheckpointed(step, f.required("checkpoint"));
            case STEP_COMPLETED ->
                new WorkflowEvent.StepCompleted(
                        step,
                        f.intValue("attempt"),
                        f.longValue("durationMs"),
                        f.required("output"),
                        f.required("usage"),
                        f.required("provenance"));
            case STEP_RETRYING ->
                new WorkflowEvent.StepRetrying(
                        step,
                        f.intValue("attempt"),
                        f.longValue("durationMs"),
                        f.required("error"),
                        f.longValue("delayMs"),
                        f.required("retryAt"),
                        f.required("usage"));
            case STEP_FAILED ->
                new WorkflowEvent.StepFailed(
                        step,
                        f.intValue("attempt"),
                        f.longValue("durationMs"),
                        f.required("error"),
                        f.required("usage"),
                        f.required("provenance"));
            case STEP_CANCELLED -> new WorkflowEvent.StepCancelled(step, f.string("reason"));
            case REPAIR_ROUND_STARTED ->
                new WorkflowEvent.RepairRoundStarted(
                        step,
                        f.string("validationStep"),
                        f.intValue("round"),
                        f.intValue("maxRounds"),
                        f.required("failure"));
        };
    }

    private WorkflowDefinition definition() throws IOException, NotCompact {
        Fields f = fields();
        return new WorkflowDefinition(
                f.string("requirementText"), f.required("projectContext"), f.required("steps"), f.required("options"));
    }

    private StepDefinition step() throws IOException, NotCompact {
        Fields f = fields();
        return new StepDefinition(
                f.string("name"),
                f.required("type"),
                f.required("dependencies"),
                f.required("input"),
                f.nullable("timeout"),
                f.nullable("retryPolicy"));
    }

    private WorkflowOptions options() throws IOException, NotCompact {
        Fields f = fields();
        return new WorkflowOptions(
                f.required("workflowId"),
                f.intValue("maxConcurrentSteps"),
                f.required("deadline"),
                f.required("budget"),
                f.required("labels"),
                f.required("repair"));
    }

    /**
     * The fields of one object, read in whatever order they come (the encoder's order is the record's, but nothing
     * here depends on it), each by the type its component has. A field the encoder writes for every value is
     * required; one it leaves out only when null may be absent, and is then {@code null} as the mapper makes it.
     */
    private Fields fields() throws IOException, NotCompact {
        Fields f = new Fields();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            for (int i = 0; i < f.count; i++) {
                if (f.names[i].equals(name)) {
                    throw notCompact();
                }
            }
            if (f.count == f.names.length) {
                throw notCompact();
            }
            JsonToken token = p.nextToken();
            f.names[f.count] = name;
            f.values[f.count] = value(name, token);
            f.count++;
        }
        return f;
    }

    /**
     * The value of field {@code name} at {@code token}, as the type every field of that name has in the event model
     * (names are unique in meaning across the records an event holds).
     */
    private Object value(String name, JsonToken token) throws IOException, NotCompact {
        return switch (name) {
            case "definition" -> object(token, this::definition);
            case "steps", "addedSteps" -> list(token, () -> object(p.currentToken(), this::step));
            case "options" -> object(token, this::options);
            case "budget" ->
                object(token, () -> {
                    Fields f = fields();
                    return new Budget(f.longValue("maxTokens"), f.doubleValue("maxCostUsd"));
                });
            case "repair" ->
                object(token, () -> {
                    Fields f = fields();
                    return new RepairPolicy(f.intValue("maxRounds"), f.stringSet("repairOn"));
                });
            case "retryPolicy" ->
                object(token, () -> {
                    Fields f = fields();
                    return new RetryPolicy(
                            f.intValue("maxAttempts"),
                            f.required("initialInterval"),
                            f.doubleValue("backoffCoefficient"),
                            f.required("maxInterval"),
                            f.doubleValue("jitter"),
                            f.stringSet("nonRetryableCodes"));
                });
            case "usage" ->
                object(token, () -> {
                    Fields f = fields();
                    return new Usage(f.longValue("inputTokens"), f.longValue("outputTokens"), f.doubleValue("costUsd"));
                });
            case "error", "failure" ->
                object(token, () -> {
                    Fields f = fields();
                    return new StepError(
                            f.string("code"),
                            f.string("message"),
                            f.bool("retryable"),
                            f.bool("recoverable"),
                            f.nullable("retryAfter"));
                });
            case "projectContext", "input", "output", "result", "checkpoint" -> tree(token);
            case "dependencies", "rerunSteps" -> list(token, () -> text(p.currentToken()));
            case "repairOn", "nonRetryableCodes" -> list(token, () -> text(p.currentToken()));
            case "labels", "provenance" -> map(token, () -> text(p.currentToken()));
            case "addedDependencies" -> map(token, () -> list(p.currentToken(), () -> text(p.currentToken())));
            case "workflowId" ->
                token == JsonToken.VALUE_NULL ? Optional.empty() : Optional.of(workflowId(text(token)));
            case "deadline" -> token == JsonToken.VALUE_NULL ? Optional.empty() : Optional.of(duration(token));
            case "timeout", "initialInterval", "maxInterval", "retryAfter" -> duration(token);
            case "type" -> stepType(text(token));
            case "retryAt" -> EventTimestamps.parse(text(token));
            case "attempt", "completedSteps", "totalSteps", "maxConcurrentSteps", "maxRounds", "maxAttempts", "round" ->
                intValue(token);
            case "durationMs", "delayMs", "fromSequence", "toSequence", "maxTokens", "inputTokens", "outputTokens" ->
                longValue(token);
            case "maxCostUsd", "costUsd", "backoffCoefficient", "jitter" -> {
                if (token != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw notCompact();
                }
                yield p.getDoubleValue();
            }
            case "reissued", "certain", "retryable", "recoverable" -> {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw notCompact();
                }
                yield token == JsonToken.VALUE_TRUE;
            }
            case "reason",
                    "message",
                    "idempotencyKey",
                    "requirementText",
                    "name",
                    "code",
                    "failedStep",
                    "validationStep" -> text(token);
            default -> throw notCompact();
        };
    }

    /**
     * The fields of one object, by name, with the typed accessors its record's constructor needs. Every field is
     * required but those the encoder leaves out because the model allows them to be null: an absent field, or an
     * explicit null, is bound by the mapper in ways of its own (defaults, empty values, null nodes), so it decides.
     */
    private static final class Fields {
        final String[] names = new String[8];
        final Object[] values = new Object[8];
        int count;

        @Nullable
        Object get(String name) {
            for (int i = 0; i < count; i++) {
                if (names[i].equals(name)) {
                    return values[i];
                }
            }
            return null;
        }

        // The record constructor's parameter fixes T, and each field's value was read by the reader typed for that
        // field; a mismatch would be a ClassCastException, which read() catches and hands to the mapper.
        @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
        <T> T required(String name) throws NotCompact {
            Object value = get(name);
            if (value == null) {
                throw notCompact();
            }
            return (T) value;
        }

        String string(String name) throws NotCompact {
            return required(name);
        }

        int intValue(String name) throws NotCompact {
            return this.<Integer>required(name);
        }

        long longValue(String name) throws NotCompact {
            return this.<Long>required(name);
        }

        double doubleValue(String name) throws NotCompact {
            return this.<Double>required(name);
        }

        boolean bool(String name) throws NotCompact {
            return this.<Boolean>required(name);
        }

        /** As the mapper binds a set: a hash set of the elements, which the record then copies. */
        Set<String> stringSet(String name) throws NotCompact {
            return new HashSet<>(this.<List<String>>required(name));
        }

        /** For the components the model declares nullable: absent is null, as the mapper binds it. */
        @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
        <T> @Nullable T nullable(String name) {
            return (T) get(name);
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read() throws IOException, NotCompact;
    }

    private <T> T object(JsonToken token, Reader<T> fields) throws IOException, NotCompact {
        expect(token, JsonToken.START_OBJECT);
        return fields.read();
    }

    /** An array of elements, each read with the parser at its first token. */
    private <T> List<T> list(JsonToken token, Reader<T> element) throws IOException, NotCompact {
        expect(token, JsonToken.START_ARRAY);
        List<T> elements = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            elements.add(element.read());
        }
        return elements;
    }

    /** An object of values, each read with the parser at its first token, in order (as the mapper's map). */
    private <T> Map<String, T> map(JsonToken token, Reader<T> value) throws IOException, NotCompact {
        expect(token, JsonToken.START_OBJECT);
        Map<String, T> entries = new LinkedHashMap<>();
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            p.nextToken();
            if (entries.put(key, value.read()) != null) {
                throw notCompact();
            }
        }
        return entries;
    }

    /**
     * A JSON value as the model holds it. An empty object, the most common value (inputs, contexts, outputs), is made
     * here; any other goes to the mapper's tree reader, from the token it starts with (a null would be read as a
     * null node, which the mapper treats specially: it reads that itself).
     */
    private JsonNode tree(JsonToken token) throws IOException, NotCompact {
        if (token == JsonToken.VALUE_NULL) {
            throw notCompact();
        }
        if (token == JsonToken.START_OBJECT && p.nextToken() == JsonToken.END_OBJECT) {
            return mapper.getDeserializationConfig().getNodeFactory().objectNode();
        }
        // At the start of a value, or at the first field name of a non-empty object: the tree reader takes either.
        JsonNode node = mapper.readTree(p);
        if (node == null) {
            throw notCompact();
        }
        return node;
    }

    private String text(JsonToken token) throws IOException, NotCompact {
        if (token != JsonToken.VALUE_STRING) {
            throw notCompact();
        }
        return p.getText();
    }

    private String string() throws IOException, NotCompact {
        return text(p.nextToken());
    }

    private int intValue(JsonToken token) throws IOException, NotCompact {
        if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw notCompact();
        }
        return p.getIntValue();
    }

    private long longValue(JsonToken token) throws IOException, NotCompact {
        if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw notCompact();
        }
        return p.getLongValue();
    }

    private long longValue() throws IOException, NotCompact {
        return longValue(p.nextToken());
    }

    /** Durations are written as milliseconds. */
    private Duration duration(JsonToken token) throws IOException, NotCompact {
        return Duration.ofMillis(longValue(token));
    }

    private void field(String name) throws IOException, NotCompact {
        if (!name.equals(p.nextFieldName())) {
            throw notCompact();
        }
    }

    private static void expect(@Nullable JsonToken actual, JsonToken expected) throws NotCompact {
        if (actual != expected) {
            throw notCompact();
        }
    }

    private static WorkflowId workflowId(String value) {
        WorkflowId last = LAST_ID.get();
        if (last != null && last.value().equals(value)) {
            return last;
        }
        WorkflowId id = new WorkflowId(value);
        LAST_ID.set(id);
        return id;
    }

    private static StepType stepType(String id) {
        StepType known = STEP_TYPES.get(id);
        if (known != null) {
            return known;
        }
        StepType type = StepType.of(id);
        if (STEP_TYPES.size() < MAX_CACHED_STEP_TYPES) {
            STEP_TYPES.putIfAbsent(id, type);
        }
        return type;
    }
}
