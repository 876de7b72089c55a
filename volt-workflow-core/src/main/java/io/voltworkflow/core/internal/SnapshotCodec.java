package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.Usage;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.Transition;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.WorkflowSnapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A workflow's persistent state as a snapshot, and back; process-local state is not part of it. Fields added later
 * are boxed, so snapshots written before them still read (as absent).
 */
final class SnapshotCodec {
    private SnapshotCodec() {}

    record StepData(
            StepDefinition definition,
            StepState state,
            int attempts,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Long durationMs,
            @Nullable JsonNode output,
            @Nullable StepError error,
            @Nullable JsonNode checkpoint,
            @Nullable String progressMessage,
            @Nullable Usage usage,
            @Nullable Map<String, String> provenance,
            @Nullable Instant retryAt,
            @Nullable Integer repairRound,
            io.voltworkflow.core.engine.@Nullable RepairRound repair) {}

    record WorkflowData(
            WorkflowState state,
            String requirement,
            JsonNode projectContext,
            @Nullable WorkflowOptions options,
            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable List<Transition> history,
            @Nullable StepError error,
            @Nullable Usage usage,
            @Nullable JsonNode result,
            @Nullable String progressMessage,
            long retries,
            @Nullable Long repairRounds,
            @Nullable Usage repairUsage,
            List<StepData> steps,
            @Nullable String definitionDigest) {}

    static WorkflowSnapshot encode(WorkflowRuntime w, Instant now) {
        List<StepData> steps = new ArrayList<>(w.steps.size());
        for (StepRuntime s : w.steps) {
            steps.add(new StepData(
                    s.definition,
                    s.state,
                    s.attempts,
                    s.startedAt,
                    s.finishedAt,
                    s.durationMs,
                    s.output,
                    s.error,
                    s.checkpoint,
                    s.progressMessage,
                    s.usage,
                    s.provenance,
                    s.retryAt,
                    s.repairRound,
                    s.repair));
        }
        WorkflowData data = new WorkflowData(
                w.state,
                w.requirement(),
                w.projectContext(),
                w.options,
                w.createdAt(),
                w.startedAt,
                w.finishedAt,
                List.copyOf(w.history),
                w.error,
                w.usage,
                w.result,
                w.progressMessage,
                w.retries,
                w.repairRounds,
                w.repairUsage,
                steps,
                w.definitionDigest());
        try {
            return new WorkflowSnapshot(
                    w.id, w.lastSequence, now, WorkflowJson.compactMapper().writeValueAsBytes(data));
        } catch (IOException e) {
            throw new StoreException("cannot encode a snapshot of workflow " + w.id, e);
        }
    }

    static WorkflowRuntime decode(WorkflowSnapshot snapshot, int maxHistory) {
        WorkflowData data;
        try {
            data = WorkflowJson.compactMapper().readValue(snapshot.state(), WorkflowData.class);
        } catch (IOException e) {
            throw new StoreException(
                    "snapshot of workflow " + snapshot.workflowId() + " at sequence " + snapshot.sequence()
                            + " is unreadable: " + e.getMessage(),
                    e);
        }
        WorkflowRuntime w = new WorkflowRuntime(snapshot.workflowId(), maxHistory);
        w.state = data.state();
        w.requirement = data.requirement();
        w.definitionDigest(data.definitionDigest());
        w.projectContext = data.projectContext();
        w.options = data.options() == null ? WorkflowOptions.DEFAULTS : data.options();
        w.createdAt = data.createdAt();
        w.startedAt = data.startedAt();
        w.finishedAt = data.finishedAt();
        w.history.addAll(data.history() == null ? List.of() : data.history());
        w.error = data.error();
        w.usage = data.usage() == null ? Usage.NONE : data.usage();
        w.result = data.result();
        w.progressMessage = data.progressMessage();
        w.retries = data.retries();
        w.repairRounds = data.repairRounds() == null ? 0 : data.repairRounds();
        w.repairUsage = data.repairUsage() == null ? Usage.NONE : data.repairUsage();
        w.lastSequence = snapshot.sequence();
        w.snapshotSequence = snapshot.sequence();
        List<StepRuntime> restored = new ArrayList<>();
        for (StepData d : data.steps()) {
            StepRuntime s = w.newStep(d.definition());
            s.state = d.state();
            s.attempts = d.attempts();
            s.startedAt = d.startedAt();
            s.finishedAt = d.finishedAt();
            s.durationMs = d.durationMs();
            s.output = d.output();
            s.error = d.error();
            s.checkpoint = d.checkpoint();
            s.progressMessage = d.progressMessage();
            s.usage = d.usage() == null ? Usage.NONE : d.usage();
            s.provenance = d.provenance() == null ? Map.of() : d.provenance();
            s.retryAt = d.retryAt();
            s.repairRound = d.repairRound() == null ? 0 : d.repairRound();
            s.repair = d.repair();
            if (s.state == StepState.COMPLETED) {
                w.completedSteps++;
            } else if (s.state == StepState.RUNNING) {
                w.runningSteps++;
            }
            restored.add(s);
        }
        w.link(restored);
        return w;
    }
}
