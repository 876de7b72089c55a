package io.voltworkflow.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.EventCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding one step transition as every store does (compact JSON): the CPU share of a durable
 * transition, which the file store pays inside the orchestrator's critical section.
 * {@code java -cp volt-workflow-bench.jar org.openjdk.jmh.Main EventCodec}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventCodecBenchmark {
    private final EventRecord started = new EventRecord(
            WorkflowId.of("wf-0123456789abcdef"),
            7,
            Instant.parse("2026-11-25T22:00:00Z"),
            new WorkflowEvent.StepStarted("s3", 1, "wf-0123456789abcdef/s3", false));
    private final EventRecord completed = new EventRecord(
            WorkflowId.of("wf-0123456789abcdef"),
            8,
            Instant.parse("2026-11-25T22:00:00.001Z"),
            new WorkflowEvent.StepCompleted("s3", 1, 1, JsonNodeFactory.instance.objectNode(), Usage.NONE, Map.of()));
    private final byte[] completedBytes = EventCodec.encode(completed);
    /** Baseline: the same wire shape as a plain map, through a plain mapper (no tree round trips). */
    private final ObjectMapper plain = new ObjectMapper();

    private final Map<String, Object> completedShape = plainShape();

    private Map<String, Object> plainShape() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("attempt", 1);
        data.put("durationMs", 1);
        data.put("output", Map.of());
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("workflowId", "wf-0123456789abcdef");
        shape.put("sequence", 8);
        shape.put("timestamp", "2026-11-25T22:00:00.001Z");
        shape.put("type", "step_completed");
        shape.put("step", "s3");
        shape.put("data", data);
        return shape;
    }

    @Benchmark
    public byte[] baselineEncodePlainMap() throws Exception {
        return plain.writeValueAsBytes(completedShape);
    }

    @Benchmark
    public Object baselineDecodePlainMap() throws Exception {
        return plain.readValue(completedBytes, Map.class);
    }

    @Benchmark
    public byte[] encodeStepStarted() {
        return EventCodec.encode(started);
    }

    @Benchmark
    public byte[] encodeStepCompleted() {
        return EventCodec.encode(completed);
    }

    @Benchmark
    public EventRecord decodeStepCompleted() {
        return EventCodec.decode(completedBytes);
    }
}
