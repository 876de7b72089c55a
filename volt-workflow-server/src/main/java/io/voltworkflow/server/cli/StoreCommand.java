package io.voltworkflow.server.cli;

import io.voltworkflow.core.store.DamageReport;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.StoreReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code store verify|repair DATA_DIR}: the file store of a stopped server, offline. {@code verify} shows what
 * opening found and every record checked, and the damage the store keeps reporting; {@code repair} records that an
 * operator has seen the damage and rewrites the files without the unreadable bytes (the lost ranges stay in the
 * workflows' history).
 */
final class StoreCommand {
    static final String USAGE = """
      Usage: volt store verify|repair <data-dir>
        verify    check every record of <data-dir>/store and show the damage it reports; changes nothing but
                  recording damage seen for the first time
        repair    acknowledge the reported damage and compact the files without their unreadable bytes
      The server must be stopped (the store admits one process at a time).
      Exit codes: 0 healthy, 1 damage or problems remain, 64 usage error, 78 the store cannot be opened.
      """;

    private StoreCommand() {}

    static int run(CliEnvironment env, List<String> args) {
        Arguments parsed = Arguments.parse(args, Set.of(), Set.of());
        if (parsed.positional().size() != 2
                || !Set.of("verify", "repair").contains(parsed.positional().get(0))) {
            throw new UsageException("expected 'store verify <data-dir>' or 'store repair <data-dir>'");
        }
        Path directory = env.resolve(parsed.positional().get(1)).resolve("store");
        if (!Files.isDirectory(directory)) {
            throw new StoreRefusedException("no file store in " + directory);
        }
        boolean repair = parsed.positional().get(0).equals("repair");
        try (FileWorkflowStore store = EmbeddedOrchestrator.openFileStore(directory)) {
            StoreReport opened = store.openReport();
            env.out()
                    .println("store " + directory + ": " + opened.records() + " events, " + opened.snapshots()
                            + " snapshots, " + opened.workflows() + " workflows");
            opened.problems().forEach(problem -> env.out().println("  found on open: " + problem));
            if (repair) {
                store.acknowledgeDamage();
                // Drops no event (none is older than the epoch): only the unreadable bytes go.
                store.compact(Instant.EPOCH);
                env.out().println("damage acknowledged; files rewritten without unreadable bytes");
            }
            StoreReport verified = store.verify();
            print(env, verified.damage());
            verified.problems().forEach(problem -> env.out().println("  unreadable: " + problem));
            env.out()
                    .println(
                            verified.healthy()
                                    ? "healthy"
                                    : "not healthy: "
                                            + (verified.problems().isEmpty()
                                                    ? ""
                                                    : verified.problems().size() + " problems in the files; ")
                                            + (verified.damage().unacknowledged()
                                                    ? "damage not acknowledged (volt store repair)"
                                                    : ""));
            return verified.healthy() ? ExitCodes.COMPLETED : ExitCodes.FAILED;
        }
    }

    private static void print(CliEnvironment env, DamageReport damage) {
        if (damage.workflows().isEmpty() && damage.skippedBytes() == 0) {
            env.out().println("no damage recorded");
            return;
        }
        env.out()
                .println("damage: " + damage.workflows().size() + " workflows lost events, " + damage.skippedBytes()
                        + " unreadable bytes (" + (damage.unacknowledged() ? "not acknowledged" : "acknowledged")
                        + ")");
        for (DamageReport.WorkflowDamage workflow : damage.workflows()) {
            for (DamageReport.LostRange range : workflow.lost()) {
                env.out()
                        .println("  " + Terminal.safe(workflow.workflowId().value()) + ": events " + range.from() + ".."
                                + range.to() + (range.certain() ? " lost" : " set aside (may have been lost)")
                                + (workflow.recoverable() ? "" : "; cannot be rebuilt") + " — "
                                + Terminal.safe(range.reason()));
            }
        }
    }
}
