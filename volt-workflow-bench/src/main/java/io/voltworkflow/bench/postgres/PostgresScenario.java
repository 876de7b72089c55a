package io.voltworkflow.bench.postgres;

import io.voltworkflow.bench.Figure;
import io.voltworkflow.bench.Profiler;
import io.voltworkflow.bench.RunSettings;
import io.voltworkflow.bench.Scenario;
import io.voltworkflow.bench.dag.Dag;
import io.voltworkflow.bench.dag.Dags;
import io.voltworkflow.bench.dag.VoltDags;
import io.voltworkflow.bench.dag.Workloads;
import io.voltworkflow.bench.disk.AppendTrace;
import io.voltworkflow.bench.disk.RecordingStore;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.store.EventCodec;
import io.voltworkflow.store.postgres.PostgresStoreOptions;
import io.voltworkflow.store.postgres.PostgresWorkflowStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL limit. Workflows of 10 no-op steps, {@value #IN_FLIGHT} at a time, run on the PostgreSQL store;
 * every record appended is a durable transition, after a warm-up run of a fifth as many. Their records are then replayed, as many workflows at once, each
 * workflow appending one record and waiting for it to commit before the next, against a raw group-commit JDBC
 * writer ({@link RawJdbcLog}: the same encoded bytes, one batched insert per commit) and against a fresh store (the
 * store without the orchestrator). Each side has a private schema, dropped afterwards. The server is the one
 * {@code .ci/install-postgres.sh} starts unless {@code VOLT_BENCH_PG_URL}, {@code VOLT_BENCH_PG_USER} and
 * {@code VOLT_BENCH_PG_PASSWORD} say otherwise. With {@code --profile}, ours is profiled (CPU) in its two measured
 * phases: {@code orchestrator} and {@code store-alone}.
 */
public final class PostgresScenario implements Scenario {
    private static final int IN_FLIGHT = 100;
    private static final int WORKFLOWS = 500;
    private static final double TARGET_RATIO = 0.5;
    private static final String URL = env("VOLT_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/volt");
    private static final String USER = env("VOLT_BENCH_PG_USER", "volt");
    private static final String PASSWORD = env("VOLT_BENCH_PG_PASSWORD", "volt");

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String summary() {
        return "durable transitions/s on the PostgreSQL store vs raw group-commit batched JDBC inserts";
    }

    /** Every transition is a committed row on a shared server: scale 10 is already 170,000 rows per side. */
    @Override
    public int maxScale() {
        return 10;
    }

    @Override
    public List<Figure> run(RunSettings settings) throws Exception {
        int inFlight = settings.pick(IN_FLIGHT, 20);
        int workflows = settings.pick(WORKFLOWS, 40) * settings.scale();
        Dag chain = Dags.chain(10, Duration.ZERO);
        String schema = "volt_bench_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        List<String> schemas = List.of(schema, schema + "_raw", schema + "_replay", schema + "_warm");
        try {
            // A fresh JVM spends a first run compiling (JFR: two fifths of its CPU); the replays after it run warm.
            try (WorkflowOrchestrator warm = WorkflowOrchestrator.create(VoltDags.options(VoltDags.engines())
                    .store(open(schemas.get(3)))
                    .build())) {
                Workloads.runAll(
                        VoltDags.runner(warm, WorkflowOptions.DEFAULTS),
                        chain,
                        Math.max(inFlight, workflows / 5),
                        inFlight,
                        inFlight);
            }
            PostgresWorkflowStore live = open(schema);
            RecordingStore recording = new RecordingStore(live);
            long liveNanos;
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
            }
            AppendTrace trace = recording.trace();
            long records = trace.records();

            long rawNanos;
            String rawCommits;
            try (RawJdbcLog raw = new RawJdbcLog(URL, USER, PASSWORD, schemas.get(1))) {
                rawNanos = AppendTrace.replay(rows(trace), inFlight, raw::append);
                rawCommits = perCommit(raw.commits(), records, raw.roundTrips());
            }
            long storeNanos;
            String storeCommits;
            try (PostgresWorkflowStore store = open(schemas.get(2))) {
                storeNanos = settings.profiler()
                        .profile(
                                "store-alone",
                                Profiler.Event.CPU,
                                () -> AppendTrace.replay(
                                        trace.lanes(), inFlight, record -> store.append(List.of(record))));
                storeCommits = perCommit(store.writeStatistics());
            }
            String liveCommits = perCommit(live.writeStatistics());

            double rawRate = records / (rawNanos / 1e9);
            double liveRate = records / (liveNanos / 1e9);
            double storeRate = records / (storeNanos / 1e9);
            String work = workflows + " workflows (" + inFlight + " in flight), " + records + " transitions; raw: "
                    + rawCommits + "; ours: ";
            int scale = settings.scale();
            return List.of(
                    new Figure(
                            name(),
                            scale,
                            "durable transitions/s, orchestrator on the PostgreSQL store",
                            "transitions/s",
                            rawRate,
                            liveRate,
                            "ratio ≥ 0.5",
                            Figure.verdict(liveRate / rawRate >= TARGET_RATIO),
                            work + liveCommits),
                    new Figure(
                            name(),
                            scale,
                            "durable transitions/s, PostgreSQL store alone (same records)",
                            "transitions/s",
                            rawRate,
                            storeRate,
                            "",
                            Figure.Verdict.NONE,
                            work + storeCommits));
        } finally {
            dropSchemas(schemas);
        }
    }

    private static String perCommit(PostgresWorkflowStore.WriteStatistics statistics) {
        return perCommit(statistics.commits(), statistics.rows(), statistics.roundTrips());
    }

    /** How well a writer batched and what each commit cost it. */
    private static String perCommit(long commits, long rows, long roundTrips) {
        return String.format(
                "%.1f rows and %.2f round trips per commit", rows / (double) commits, roundTrips / (double) commits);
    }

    private static PostgresWorkflowStore open(String schema) {
        return PostgresWorkflowStore.open(PostgresStoreOptions.builder(URL)
                .user(USER)
                .password(PASSWORD)
                .schema(schema)
                .build());
    }

    /** The trace's records encoded as the store encodes them, keyed like its rows. */
    private static List<List<RawJdbcLog.Row>> rows(AppendTrace trace) {
        List<List<RawJdbcLog.Row>> lanes = new ArrayList<>(trace.lanes().size());
        for (List<EventRecord> lane : trace.lanes()) {
            lanes.add(lane.stream()
                    .map(r -> new RawJdbcLog.Row(r.workflowId().value(), r.sequence(), EventCodec.encode(r)))
                    .toList());
        }
        return lanes;
    }

    private static void dropSchemas(List<String> schemas) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String name : schemas) {
                statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }
    }
}
