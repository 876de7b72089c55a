package io.voltworkflow.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Every patch a workflow's code generation produced, the rejected ones of earlier repair rounds included, with where
 * each came from: read from the workflow's events, so it is the record, not a reconstruction. Events the store has
 * compacted away are not there; {@code complete} says whether the history reaches back to the workflow's creation.
 * One shape for every host: the server's {@code /patches} endpoint and the Jenkins build page serve it alike.
 */
public final class PatchHistory {
    private static final int PAGE = 1000;

    private PatchHistory() {}

    /** A workflow's stored events in order: at most {@code limit} after {@code sequence}. */
    @FunctionalInterface
    public interface Events {
        List<EventRecord> after(long sequence, int limit);
    }

    /** The names of the code generation steps of {@code status}: the steps whose completions are patches. */
    public static Set<String> codegenSteps(WorkflowStatus status) {
        return status.steps().stream()
                .filter(step -> step.type().equals(StepType.CODEGEN.id()))
                .map(StepStatus::name)
                .collect(Collectors.toSet());
    }

    /** The history of workflow {@code id}, whose code generation steps are {@code codegenSteps}, read from {@code events}. */
    public static ObjectNode of(WorkflowId id, Set<String> codegenSteps, Events events) {
        ObjectNode body = WorkflowJson.mapper().createObjectNode().put("workflowId", id.value());
        ArrayNode patches = WorkflowJson.mapper().createArrayNode();
        Map<String, Integer> rounds = new HashMap<>();
        Map<String, Instant> started = new HashMap<>();
        boolean complete = false;
        long after = 0;
        List<EventRecord> page;
        do {
            page = events.after(after, PAGE);
            for (EventRecord record : page) {
                complete |= record.sequence() == 1;
                after = record.sequence();
                WorkflowEvent event = record.event();
                if (!codegenSteps.contains(event.step())) {
                    continue;
                }
                if (event instanceof WorkflowEvent.RepairRoundStarted repair) {
                    rounds.put(repair.step(), repair.round());
                } else if (event instanceof WorkflowEvent.StepStarted start) {
                    started.put(start.step(), record.timestamp());
                } else if (event instanceof WorkflowEvent.StepCompleted done) {
                    patches.add(entry(
                            done, rounds.getOrDefault(done.step(), 0), started.get(done.step()), record.timestamp()));
                }
            }
        } while (page.size() == PAGE);
        body.put("complete", complete);
        body.set("patches", patches);
        return body;
    }

    private static ObjectNode entry(
            WorkflowEvent.StepCompleted done, int round, @Nullable Instant startedAt, Instant completedAt) {
        JsonNode output = done.output();
        String patch = output.path("patch").asText("");
        ObjectNode entry = WorkflowJson.mapper().createObjectNode();
        entry.put("step", done.step()).put("repairRound", round).put("attempt", done.attempt());
        entry.put("startedAt", startedAt == null ? null : startedAt.toString())
                .put("completedAt", completedAt.toString());
        entry.put("durationMs", done.durationMs());
        entry.set("generator", output.path("generator"));
        entry.set("summary", output.path("summary"));
        entry.set("files", output.path("files"));
        entry.set("reference", output.path("reference"));
        entry.set("usage", WorkflowJson.mapper().valueToTree(done.usage()));
        entry.set("provenance", WorkflowJson.mapper().valueToTree(done.provenance()));
        entry.put("patchSha256", sha256(patch));
        entry.put("patch", patch);
        return entry;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
