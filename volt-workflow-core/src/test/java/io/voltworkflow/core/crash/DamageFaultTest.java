package io.voltworkflow.core.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.StepHandler;
import io.voltworkflow.core.engine.StepInvocation;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.WorkflowEvent;
import io.voltworkflow.core.internal.store.RecordKind;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.DamageReport;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.core.store.StoreRecords;
import io.voltworkflow.core.store.file.FileStoreOptions;
import io.voltworkflow.core.time.VirtualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing disk under a stopped server: each run builds a file store with finished and unfinished workflows (events
 * before and after their latest snapshot, several segments), then changes one byte in each of a few records chosen
 * at random among every kind — events before and after the latest snapshot, snapshots, segment headers, and, in a
 * second round, the damage records themselves — and reopens. It asserts that workflows whose records were not hit
 * are untouched and carry on, that no sequence number ever comes back with different content, and that every lost
 * event is reported by the workflow's status, its events, a stream opened before the loss, the store's damage report
 * and {@code verify()} (what the server's readiness and metrics show), before and after compaction and restarts.
 *
 * <p>{@code -Dvolt.damage.runs=N} for a longer soak, {@code -Dvolt.damage.seed=S} to replay one.
 */
class DamageFaultTest {
    private static final long SEED = Long.getLong("volt.damage.seed", 20261207L);
    private static final int RUNS = Integer.getInteger("volt.damage.runs", 8);
    private static final int WORKFLOWS = 6;
    private static final int LATE_WORKFLOWS = 2;
    private static final List<String> STEPS = List.of("a", "b", "c", "d");

    @TempDir
    Path root;

    @Test
    void damagedRecordsCostOnlyTheirOwnWorkflowsAndEveryLossIsReported() {
        Totals totals = new Totals();
        for (int run = 0; run < RUNS; run++) {
            new Run(SEED + run, root.resolve("run-" + run), totals).execute();
        }
        String summary = "damage: " + RUNS + " runs, " + totals.damaged + " records damaged, " + totals.healthyAffected
                + " healthy workflows affected, " + totals.reused + " sequence numbers reused, " + totals.reported
                + " of "
                + totals.losses + " losses reported";
        System.out.println(summary);
        assertThat(totals.problems).as(summary).isEmpty();
        assertThat(totals.losses).isPositive();
        assertThat(totals.reported).isEqualTo(totals.losses);
    }

    private static final class Totals {
        long damaged;
        long healthyAffected;
        long reused;
        long losses;
        long reported;
        final List<String> problems = new ArrayList<>();
    }

    /** Steps that finish at once, except those of held workflows, which wait until the test releases them. */
    private static final class Steps implements StepHandler {
        final Set<WorkflowId> holding = ConcurrentHashMap.newKeySet();
        final Map<String, CompletableFuture<JsonNode>> held = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<JsonNode> execute(StepInvocation invocation, EngineContext context) {
            JsonNode output = WorkflowJson.mapper().createObjectNode().put("step", context.stepName());
            if (!holding.contains(context.workflowId())) {
                return CompletableFuture.completedFuture(output);
            }
            CompletableFuture<JsonNode> result = new CompletableFuture<>();
            held.put(context.workflowId() + "/" + context.stepName(), result);
            return result;
        }

        void release(WorkflowId id, String step) {
            CompletableFuture<JsonNode> result = held.remove(id + "/" + step);
            if (result != null) {
                result.complete(WorkflowJson.mapper().createObjectNode().put("step", step));
            }
        }

        void releaseAll(WorkflowId id) {
            holding.remove(id);
            STEPS.forEach(step -> release(id, step));
        }
    }

    private static final class Run {
        private final long seed;
        private final Random random;
        private final Path directory;
        private final Totals totals;
        private final VirtualTimeSource clock = new VirtualTimeSource();
        private final Map<WorkflowId, List<EventRecord>> published = new LinkedHashMap<>();
        private final Set<WorkflowId> unfinished =
                new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
        /** Ground truth: the sequences whose records were damaged, per workflow. */
        private final Map<WorkflowId, Set<Long>> lost = new HashMap<>();

        private Steps steps = new Steps();

        Run(long seed, Path directory, Totals totals) {
            this.seed = seed;
            this.random = new Random(seed);
            this.directory = directory;
            this.totals = totals;
        }

        private WorkflowOrchestrator open() {
            FileWorkflowStore store = new FileWorkflowStore(
                    FileStoreOptions.builder(directory).segmentBytes(8192).build());
            return WorkflowOrchestrator.create(OrchestratorOptions.builder()
                    .store(store)
                    .engines(Engines.builder().customStep("work", steps).build())
                    .timeSource(clock)
                    .snapshotInterval(Duration.ofMinutes(1))
                    .eventRetention(Duration.ofDays(1))
                    .build());
        }

        void execute() {
            build();
            damage(List.of(Kind.EVENT_BEFORE_SNAPSHOT, Kind.EVENT_AFTER_SNAPSHOT, Kind.SNAPSHOT, Kind.HEADER));
            recoverAndCheck();
            compactAndCheck();
            Map<WorkflowId, Set<Long>> before = Map.copyOf(lost);
            // The evidence itself on a failing disk: a damage record hit still leaves its copy.
            damage(List.of(Kind.DAMAGE_RECORD));
            lost.putAll(before);
            try (WorkflowOrchestrator orchestrator = open()) {
                lost.forEach((id, sequences) -> {
                    if (!coveredByReport(orchestrator.storeDamage(), id, sequences)) {
                        problem("after its damage record was hit, the loss of " + id + " " + sequences
                                + " is not reported");
                    }
                });
            }
        }

        /** Finished and held workflows, a snapshot of each, then more events after it, and late ones with none. */
        private void build() {
            try (WorkflowOrchestrator orchestrator = open()) {
                for (int i = 1; i <= WORKFLOWS; i++) {
                    create(orchestrator, i, i % 2 == 0 || random.nextInt(3) == 0);
                }
                settle(orchestrator, "b");
                clock.advance(Duration.ofMinutes(1));
                settle(orchestrator, "c");
                for (int i = 1; i <= LATE_WORKFLOWS; i++) {
                    create(orchestrator, WORKFLOWS + i, false);
                }
                settle(orchestrator, "c");
                for (WorkflowId id : ids()) {
                    published.put(id, orchestrator.events(id, 0, 1000));
                }
            }
        }

        /** Finished workflows are finished; held ones have released the step before {@code holdAt} and wait there. */
        private void settle(WorkflowOrchestrator orchestrator, String holdAt) {
            String previous = STEPS.get(STEPS.indexOf(holdAt) - 1);
            for (WorkflowId id : ids()) {
                if (unfinished.contains(id)) {
                    soon().until(() ->
                            steps.held.containsKey(id + "/" + previous) || steps.held.containsKey(id + "/" + holdAt));
                    steps.release(id, previous);
                    soon().until(() -> steps.held.containsKey(id + "/" + holdAt));
                } else if (exists(orchestrator, id)) {
                    orchestrator.awaitTermination(id).join();
                }
            }
        }

        private static boolean exists(WorkflowOrchestrator orchestrator, WorkflowId id) {
            try {
                orchestrator.getWorkflowStatus(id);
                return true;
            } catch (io.voltworkflow.core.WorkflowNotFoundException e) {
                return false;
            }
        }

        private void create(WorkflowOrchestrator orchestrator, int n, boolean held) {
            WorkflowId id = WorkflowId.of("wf-" + seed + "-" + n);
            if (held) {
                steps.holding.add(id);
                unfinished.add(id);
            }
            List<StepDefinition> chain = new ArrayList<>();
            for (int i = 0; i < STEPS.size(); i++) {
                chain.add(
                        i == 0
                                ? StepDefinition.of(STEPS.get(i), StepType.of("work"))
                                : StepDefinition.of(STEPS.get(i), StepType.of("work"), STEPS.get(i - 1)));
            }
            orchestrator.createWorkflow(new WorkflowDefinition(
                    "damage " + n,
                    null,
                    chain,
                    WorkflowOptions.builder().workflowId(id).build()));
            orchestrator.startWorkflow(id);
        }

        private List<WorkflowId> ids() {
            List<WorkflowId> ids = new ArrayList<>();
            for (int n = 1; n <= WORKFLOWS + LATE_WORKFLOWS; n++) {
                ids.add(WorkflowId.of("wf-" + seed + "-" + n));
            }
            return ids;
        }

        enum Kind {
            EVENT_BEFORE_SNAPSHOT,
            EVENT_AFTER_SNAPSHOT,
            SNAPSHOT,
            HEADER,
            DAMAGE_RECORD
        }

        /** Changes one byte in each of 1-3 records of the given kinds (never two adjacent ones). */
        private void damage(List<Kind> kinds) {
            List<StoreRecords.Located> records = StoreRecords.records(directory);
            Map<String, Long> latestSnapshot = new HashMap<>();
            for (StoreRecords.Located record : records) {
                if (record.kind() == RecordKind.SNAPSHOT) {
                    latestSnapshot.merge(record.workflowId(), record.sequence(), Math::max);
                }
            }
            Map<Kind, List<StoreRecords.Located>> byKind = new LinkedHashMap<>();
            for (StoreRecords.Located record : records) {
                Kind kind = record.kind() == null
                        ? Kind.HEADER
                        : record.kind() == RecordKind.SNAPSHOT
                                ? Kind.SNAPSHOT
                                : record.kind() == RecordKind.DAMAGE
                                        ? Kind.DAMAGE_RECORD
                                        : record.sequence() <= latestSnapshot.getOrDefault(record.workflowId(), 0L)
                                                ? Kind.EVENT_BEFORE_SNAPSHOT
                                                : Kind.EVENT_AFTER_SNAPSHOT;
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(record);
            }
            List<Kind> available = kinds.stream().filter(byKind::containsKey).toList();
            if (available.isEmpty()) {
                return;
            }
            List<StoreRecords.Located> chosen = new ArrayList<>();
            int wanted = 1 + random.nextInt(3);
            for (int attempt = 0; chosen.size() < wanted && attempt < 20; attempt++) {
                List<StoreRecords.Located> candidates = byKind.get(available.get(random.nextInt(available.size())));
                StoreRecords.Located candidate = candidates.get(random.nextInt(candidates.size()));
                if (chosen.stream().noneMatch(c -> near(c, candidate))) {
                    chosen.add(candidate);
                }
            }
            for (StoreRecords.Located record : chosen) {
                StoreRecords.damageByte(
                        record.file(), record.offset() + random.nextInt(record.length()), 1 + random.nextInt(255));
                totals.damaged++;
                if (record.kind() == RecordKind.EVENT) {
                    lost.computeIfAbsent(WorkflowId.of(record.workflowId()), id -> new TreeSet<>())
                            .add(record.sequence());
                }
            }
        }

        /** Same record, or touching ones: a region the store could not split into its records. */
        private static boolean near(StoreRecords.Located a, StoreRecords.Located b) {
            return a.file().equals(b.file())
                    && a.offset() <= b.offset() + b.length()
                    && b.offset() <= a.offset() + a.length();
        }

        private void recoverAndCheck() {
            totals.losses += lost.values().stream().mapToInt(Set::size).sum();
            try (WorkflowOrchestrator orchestrator = open()) {
                DamageReport damage = orchestrator.storeDamage();
                for (WorkflowId id : ids()) {
                    if (lost.containsKey(id)) {
                        totals.reported += reportedNow(orchestrator, damage, id)
                                ? lost.get(id).size()
                                : 0;
                    } else if (!healthyAndUntouched(orchestrator, damage, id)) {
                        totals.healthyAffected++;
                    }
                }
                for (WorkflowId id : ids()) {
                    carryOn(orchestrator, id);
                }
                clock.advance(Duration.ofMinutes(1));
            }
        }

        /** Compaction drops every event the snapshots cover; the report must outlive it and a restart. */
        private void compactAndCheck() {
            try (FileWorkflowStore store = new FileWorkflowStore(
                    FileStoreOptions.builder(directory).segmentBytes(8192).build())) {
                store.compact(clock.now().plus(Duration.ofDays(365)));
            }
            try (WorkflowOrchestrator orchestrator = open()) {
                DamageReport damage = orchestrator.storeDamage();
                lost.forEach((id, sequences) -> {
                    if (!coveredByReport(damage, id, sequences)) {
                        problem("after compaction and a restart, the loss of " + id + " " + sequences
                                + " is not reported");
                        totals.reported -= sequences.size();
                    }
                });
                for (WorkflowId id : ids()) {
                    if (!lost.containsKey(id)
                            && orchestrator.getWorkflowStatus(id).damaged() != null) {
                        problem("after compaction, healthy " + id + " is marked damaged");
                    }
                }
            }
        }

        private boolean healthyAndUntouched(WorkflowOrchestrator orchestrator, DamageReport damage, WorkflowId id) {
            WorkflowStatus status;
            try {
                status = orchestrator.getWorkflowStatus(id);
            } catch (StoreException e) {
                return problem("healthy " + id + " is unavailable: " + e.getMessage());
            }
            if (status.damaged() != null || damage.of(id) != null) {
                return problem("healthy " + id + " is reported damaged: " + status.damaged());
            }
            // A step that was running when the store closed is issued again: that adds events, it changes none.
            List<EventRecord> events = orchestrator.events(id, 0, 1000);
            if (events.size() < published.get(id).size()
                    || !events.subList(0, published.get(id).size()).equals(published.get(id))) {
                return problem("healthy " + id + " has other events than it had: " + events.size() + " vs "
                        + published.get(id).size());
            }
            return true;
        }

        /** Status, events, a stream from before the loss, the store's report and verify all say so. */
        private boolean reportedNow(WorkflowOrchestrator orchestrator, DamageReport damage, WorkflowId id) {
            Set<Long> sequences = lost.get(id);
            if (!coveredByReport(damage, id, sequences)) {
                return problem("the store does not report " + id + " " + sequences + ": " + damage.of(id));
            }
            if (!damage.unacknowledged()) {
                return problem("the damage of " + id + " does not count as unacknowledged");
            }
            WorkflowStatus status;
            try {
                status = orchestrator.getWorkflowStatus(id);
            } catch (StoreException e) {
                // Its creation and every snapshot were hit: reported as unavailable, with the reason, and by the store.
                boolean unrebuildable = !damage.of(id).recoverable();
                return (unrebuildable && e.getMessage().contains("cannot be rebuilt"))
                        || problem(id + " is unavailable although recoverable: " + e.getMessage());
            }
            if (status.damaged() == null || !covers(status.damaged().lost(), sequences)) {
                return problem("the status of " + id + " does not show " + sequences + ": " + status.damaged());
            }
            List<EventRecord> events = orchestrator.events(id, 0, 1000);
            for (long sequence : sequences) {
                if (events.stream()
                        .noneMatch(e -> e.event() instanceof WorkflowEvent.HistoryLost l
                                && l.fromSequence() <= sequence
                                && sequence <= e.sequence())) {
                    return problem("the events of " + id + " do not report " + sequence);
                }
            }
            long first = sequences.iterator().next();
            List<EventRecord> streamed = new CopyOnWriteArrayList<>();
            var subscription = orchestrator.subscribe(id, first - 1, streamed::add);
            try {
                soon().until(() -> !streamed.isEmpty());
            } finally {
                subscription.close();
            }
            if (!(streamed.get(0).event() instanceof WorkflowEvent.HistoryLost)) {
                return problem("a stream of " + id + " after " + (first - 1) + " starts with "
                        + streamed.get(0).type());
            }
            return true;
        }

        /** Every workflow still there finishes, and no number it had published comes back with other content. */
        private void carryOn(WorkflowOrchestrator orchestrator, WorkflowId id) {
            try {
                orchestrator.getWorkflowStatus(id);
            } catch (StoreException e) {
                return;
            }
            steps.releaseAll(id);
            WorkflowState state = orchestrator.getWorkflowStatus(id).state();
            if (lost.containsKey(id) && state == WorkflowState.INITIALIZED) {
                // Its start was among the lost events: it is back where it was before them, and takes a start again.
                orchestrator.startWorkflow(id);
                steps.releaseAll(id);
                state = orchestrator.getWorkflowStatus(id).state();
            }
            if (state != WorkflowState.COMPLETED) {
                problem(id + " did not carry on to completion after recovery: " + state
                        + (lost.containsKey(id) ? " (damaged)" : " (healthy)"));
                if (!lost.containsKey(id)) {
                    totals.healthyAffected++;
                }
            }
            List<EventRecord> before = published.get(id);
            for (EventRecord now : orchestrator.events(id, 0, 1000)) {
                if (now.sequence() > before.size()) {
                    break;
                }
                EventRecord then = before.get((int) now.sequence() - 1);
                boolean lostHere = now.event() instanceof WorkflowEvent.HistoryLost;
                if (!lostHere && !now.equals(then)) {
                    totals.reused++;
                    problem(id + " sequence " + now.sequence() + " was " + then.type() + ", now " + now.type());
                }
            }
        }

        private static boolean coveredByReport(DamageReport damage, WorkflowId id, Set<Long> sequences) {
            DamageReport.WorkflowDamage workflow = damage.of(id);
            return workflow != null && covers(workflow.lost(), sequences);
        }

        private static boolean covers(List<DamageReport.LostRange> ranges, Set<Long> sequences) {
            return sequences.stream().allMatch(s -> ranges.stream().anyMatch(r -> r.from() <= s && s <= r.to()));
        }

        /** Conditions here hold within milliseconds: polled often, from the start. */
        private static org.awaitility.core.ConditionFactory soon() {
            return await().atMost(Duration.ofSeconds(20))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(2));
        }

        private boolean problem(String description) {
            totals.problems.add("seed " + seed + ": " + description);
            return false;
        }
    }
}
