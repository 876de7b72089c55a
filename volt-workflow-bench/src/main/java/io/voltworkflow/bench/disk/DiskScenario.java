package io.voltworkflow.bench.disk;

import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.ProcessCpu;
import io.voltworkflow.bench.Profiler;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.bench.dag.Workloads;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.file.FileStoreStatistics;
import java.time.Duration;
import java.util.List;

/**
 * The disk limit. 1,000 workflows at a time (10-step no-op chains) run on the file store; every record appended is
 * a durable transition. Their records are then replayed, 1,000 workflows at a time, each workflow appending one
 * record and waiting for it to be durable before the next, against the raw group-commit log (the same bytes,
 * framed alike, same batching: whatever is queued during a sync goes in the next) and against a fresh file store
 * (the store without the orchestrator). Before the timed run the same workload runs once on a throwaway store, so
 * the orchestrator and the codec are compiled when timing starts (the replays run after the live run, warm alike).
 * Both logs sync with {@code force(false)} and take everything queued into one commit (the store up to its default
 * of 4,096 appends per commit, more than the workflows in flight).
 */
public final class DiskScenario implements Scenario {
    private static final int IN_FLIGHT = 1000;

    private static final double TARGET_PER_SECOND = 20_000;
    private static final double TARGET_BYTES = 300;
    private static final double TARGET_RATIO = 0.5;

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public String summary() {
        return "durable transitions/s and bytes per transition on the file store vs raw append + fdatasync";
    }

    /**
     * Scale 100 is 100,000 workflows and 3.4 million transitions, written three times; with fsyncs of 10-20 ms on
     * the shared disk that takes longer than the run budget: capped.
     */
    @Override
    public int maxScale() {
        return 10;
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        int inFlight = settings.pick(IN_FLIGHT, 100);
        int workflows = inFlight * settings.scale();
        Dag chain = Dags.chain(10, Duration.ZERO);

        try (FileWorkflowStore warmUp = new FileWorkflowStore(settings.workDir().resolve("warm-up"));
                WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(
                        VoltDags.options(VoltDags.engines()).store(warmUp).build())) {
            Workloads.runAll(
                    VoltDags.runner(orchestrator, WorkflowOptions.DEFAULTS), chain, inFlight, inFlight, inFlight);
        }

        FileWorkflowStore live = new FileWorkflowStore(settings.workDir().resolve("live"));
        RecordingStore recording = new RecordingStore(live);
        long liveNanos;
        long liveCpu = ProcessCpu.nanos();
        FileStoreStatistics liveStatistics;
        try (WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(
                VoltDags.options(VoltDags.engines()).store(recording).build())) {
            liveNanos = settings.profiler()
                    .profile(
                            "orchestrator",
                            Profiler.Event.CPU,
                            () -> Workloads.runAll(
                                    VoltDags.runner(orchestrator, WorkflowOptions.DEFAULTS),
                                    chain,
                                    workflows,
                                    inFlight,
                                    inFlight));
            liveStatistics = live.statistics();
        }
        liveCpu = ProcessCpu.nanos() - liveCpu;
        AppendTrace trace = recording.trace();
        long records = trace.records();

        long rawNanos;
        long rawBytes;
        long rawSyncs;
        List<List<byte[]>> encoded = trace.encoded();
        long rawCpu = ProcessCpu.nanos();
        try (RawGroupCommitLog raw = new RawGroupCommitLog(settings.workDir().resolve("raw.log"))) {
            rawNanos = AppendTrace.replay(encoded, inFlight, payload -> raw.append(List.of(payload)));
            rawBytes = raw.bytesWritten();
            rawSyncs = raw.syncs();
        }
        rawCpu = ProcessCpu.nanos() - rawCpu;
        long storeNanos;
        FileStoreStatistics storeStatistics;
        long storeCpu = ProcessCpu.nanos();
        try (FileWorkflowStore store = new FileWorkflowStore(settings.workDir().resolve("replay"))) {
            storeNanos = settings.profiler()
                    .profile(
                            "store",
                            Profiler.Event.CPU,
                            () -> AppendTrace.replay(trace.lanes(), inFlight, record -> store.append(List.of(record))));
            storeStatistics = store.statistics();
        }
        storeCpu = ProcessCpu.nanos() - storeCpu;

        double rawRate = records / (rawNanos / 1e9);
        double liveRate = records / (liveNanos / 1e9);
        double storeRate = records / (storeNanos / 1e9);
        double rawSyncRate = rawSyncs / (rawNanos / 1e9);
        double storeSyncRate = storeStatistics.commits() / (storeNanos / 1e9);
        double liveSyncRate = liveStatistics.commits() / (liveNanos / 1e9);
        double rawBytesPer = rawBytes / (double) records;
        double liveBytesPer = liveStatistics.bytesWritten() / (double) liveStatistics.records();
        String work = workflows + " workflows (" + inFlight + " in flight, started by " + inFlight + " threads), "
                + records + " transitions";
        int scale = settings.scale();
        return List.of(
                new Figure(
                        name(),
                        scale,
                        "durable transitions/s, orchestrator on the file store",
                        "transitions/s",
                        rawRate,
                        liveRate,
                        "≥ 20,000/s and ratio ≥ 0.5",
                        Figure.verdict(liveRate >= TARGET_PER_SECOND && liveRate / rawRate >= TARGET_RATIO),
                        work),
                new Figure(
                        name(),
                        scale,
                        "durable transitions/s, file store alone (same records)",
                        "transitions/s",
                        rawRate,
                        storeRate,
                        "",
                        Figure.Verdict.NONE,
                        work),
                new Figure(
                        name(),
                        scale,
                        "bytes persisted per transition",
                        "bytes",
                        rawBytesPer,
                        liveBytesPer,
                        "≤ 300",
                        Figure.verdict(liveBytesPer <= TARGET_BYTES),
                        "raw: the encoded event + 9-byte frame"),
                new Figure(
                        name(),
                        scale,
                        "transitions per fsync (group commit)",
                        "transitions",
                        records / (double) rawSyncs,
                        liveStatistics.records() / (double) liveStatistics.commits(),
                        "",
                        Figure.Verdict.NONE,
                        "file store alone: "
                                + String.format(
                                        "%.1f", storeStatistics.records() / (double) storeStatistics.commits())),
                new Figure(
                        name(),
                        scale,
                        "fsyncs/s (group commits)",
                        "fsyncs/s",
                        rawSyncRate,
                        storeSyncRate,
                        "",
                        Figure.Verdict.NONE,
                        String.format(
                                "ours: the file store alone; orchestrator on the file store: %.0f", liveSyncRate)),
                new Figure(
                        name(),
                        scale,
                        "process CPU per durable transition",
                        "µs",
                        rawCpu / 1e3 / records,
                        storeCpu / 1e3 / records,
                        "",
                        Figure.Verdict.NONE,
                        String.format(
                                "ours: the file store alone; orchestrator on the file store: %.1f µs",
                                liveCpu / 1e3 / records)));
    }
}
