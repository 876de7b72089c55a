package io.voltworkflow.core.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.FileWorkflowStore;
import io.voltworkflow.core.store.StoreReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an orchestrator on a file store with SIGKILL at random moments and restarts it, then checks what survived:
 * every workflow completes, no step whose completion was durable runs again, re-issued steps keep their idempotency
 * key, event sequences have no gap, and the store verifies. {@code -Dvolt.crash.kills=N} sets the number of kills
 * (soak mode: hundreds); {@code -Dvolt.crash.seed=S} replays a run.
 */
class CrashConsistencyTest {
    private static final int KILLS = Integer.getInteger("volt.crash.kills", 12);
    private static final long SEED = Long.getLong("volt.crash.seed", System.nanoTime());
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path work;

    @Test
    void everyWorkflowSurvivesRepeatedKillsWithoutLossOrDuplication() throws Exception {
        Path store = work.resolve("store");
        Path invocations = work.resolve("invocations.log");
        Random random = new Random(SEED);
        int totalWorkflows = KILLS / 2 + 4;
        int kills = 0;
        long tornTails = 0;
        for (int generation = 0; generation < KILLS; generation++) {
            Child child = Child.start(work, store, invocations, generation, "run", totalWorkflows, random.nextLong());
            tornTails += child.awaitOpenReport();
            // 0: kill while recovering; otherwise after that many witnessed facts (invocations started or done).
            int killAfter = random.nextInt(9);
            if (child.awaitProgress(killAfter)) {
                child.kill();
                kills++;
            } else {
                child.kill();
                break; // all work done before the kill point: no more to interrupt
            }
        }
        Child finisher = Child.start(work, store, invocations, KILLS, "finish", totalWorkflows, random.nextLong());
        tornTails += finisher.awaitOpenReport();
        finisher.awaitExit();

        Verdict verdict = judge(store, invocations, work.resolve("results"));
        System.out.println("crash: " + kills + " kills, " + verdict.lost + " lost, " + verdict.duplicated
                + " duplicated, " + verdict.keyChanges + " idempotency key changes, " + verdict.gaps
                + " sequence gaps, "
                + verdict.reissued + " re-issued steps, " + verdict.compactedEvents + " events compacted away, "
                + tornTails
                + " torn-tail bytes cut, store "
                + (verdict.storeProblems.isEmpty() ? "verified" : "damaged") + " (seed " + SEED + ")");
        assertThat(kills).as("kills (seed %d)", SEED).isGreaterThanOrEqualTo(Math.min(KILLS, 10));
        assertThat(verdict.findings).as("seed %d", SEED).isEmpty();
        assertThat(verdict.storeProblems).as("seed %d", SEED).isEmpty();
    }

    private static Verdict judge(Path store, Path invocations, Path results) throws IOException {
        Verdict verdict = new Verdict();
        List<InvocationLog.Entry> entries = InvocationLog.read(invocations);
        Map<String, String> workflowStates = new HashMap<>();
        Map<String, String[]> steps = new HashMap<>();
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f[0].equals("WORKFLOW")) {
                workflowStates.put(f[1], f[2]);
            } else {
                steps.put(f[1] + "/" + f[2], f);
            }
        }
        for (InvocationLog.Entry created : entries) {
            if (created.kind() == InvocationLog.Kind.CREATED && !workflowStates.containsKey(created.workflow())) {
                verdict.lost("workflow " + created.workflow() + " was created but is gone");
            }
        }
        workflowStates.forEach((id, state) -> {
            if (!state.equals("COMPLETED")) {
                verdict.lost("workflow " + id + " ended " + state);
            }
        });
        Map<String, Set<String>> keys = new HashMap<>();
        Set<String> attemptsSeen = new HashSet<>();
        for (InvocationLog.Entry entry : entries) {
            if (entry.kind() != InvocationLog.Kind.START) {
                continue;
            }
            String step = entry.workflow() + "/" + entry.step();
            keys.computeIfAbsent(step, s -> new HashSet<>()).add(entry.key());
            if (!attemptsSeen.add(step + "#" + entry.attempt())) {
                verdict.reissued++;
            }
            String[] outcome = steps.get(step);
            if (outcome != null
                    && outcome[3].equals("COMPLETED")
                    && entry.generation() > Integer.parseInt(outcome[5])) {
                verdict.duplicated("step " + step + " ran in generation " + entry.generation()
                        + " after its completion in generation " + outcome[5] + " was durable");
            }
        }
        steps.forEach((step, outcome) -> {
            if (!outcome[3].equals("COMPLETED")) {
                verdict.lost("step " + step + " ended " + outcome[3]);
            }
            Set<String> used = keys.getOrDefault(step, Set.of());
            if (!used.equals(Set.of(outcome[4]))) {
                verdict.keyChanges++;
                verdict.findings.add("step " + step + " ran with keys " + used + ", status says " + outcome[4]);
            }
        });
        try (FileWorkflowStore reopened = new FileWorkflowStore(store)) {
            StoreReport report = reopened.verify();
            verdict.storeProblems.addAll(reopened.openReport().problems());
            verdict.storeProblems.addAll(report.problems());
            for (String id : workflowStates.keySet()) {
                WorkflowId workflow = WorkflowId.of(id);
                long expected = reopened.firstRetainedSequence(workflow);
                verdict.compactedEvents += expected - 1;
                for (EventRecord record : reopened.read(workflow, 0, Integer.MAX_VALUE)) {
                    if (record.sequence() != expected) {
                        verdict.gaps++;
                        verdict.findings.add("workflow " + id + ": sequence " + record.sequence() + " where " + expected
                                + " was due");
                    }
                    expected = record.sequence() + 1;
                }
            }
        }
        return verdict;
    }

    private static final class Verdict {
        final List<String> findings = new ArrayList<>();
        final List<String> storeProblems = new ArrayList<>();
        int lost;
        int duplicated;
        int keyChanges;
        int gaps;
        int reissued;
        long compactedEvents;

        void lost(String finding) {
            lost++;
            findings.add(finding);
        }

        void duplicated(String finding) {
            duplicated++;
            findings.add(finding);
        }
    }

    /** A child JVM running {@link CrashChild}, its stdout read line by line. */
    private static final class Child {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Path stderr;

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(this::pump, "crash-child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(
                Path work, Path store, Path invocations, int generation, String mode, int totalWorkflows, long seed)
                throws IOException {
            Path stderr = work.resolve("child-" + generation + ".err");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-XX:TieredStopAtLevel=1",
                            "-Xshare:auto",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashChild.class.getName(),
                            store.toString(),
                            invocations.toString(),
                            Integer.toString(generation),
                            mode,
                            Integer.toString(totalWorkflows),
                            "2",
                            Long.toString(seed))
                    .redirectError(stderr.toFile())
                    .start();
            return new Child(process, stderr);
        }

        private void pump() {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The child was killed mid-line: nothing more to read.
            }
            lines.add("<eof>");
        }

        /** Waits for the child's store to open; returns the torn-tail bytes it cut. */
        long awaitOpenReport() throws Exception {
            String line = next();
            if (!line.startsWith("open-report truncated=")) {
                fail("child did not open its store: " + line + "\n" + Files.readString(stderr));
            }
            long truncated = Long.parseLong(line.substring("open-report truncated=".length()));
            for (line = next(); !line.equals("opened"); line = next()) {
                if (!line.startsWith("store-problem ")
                        || !(line.contains("torn tail") || line.contains("incomplete new segment"))) {
                    fail("unexpected line from child while opening: " + line + "\n" + Files.readString(stderr));
                }
            }
            return truncated;
        }

        /** Waits until the child has reported {@code count} facts; false if it ran out of work first. */
        boolean awaitProgress(int count) throws Exception {
            for (int seen = 0; seen < count; ) {
                String line = next();
                if (line.equals("progress")) {
                    seen++;
                } else if (line.equals("idle")) {
                    return false;
                } else {
                    fail("unexpected line from child: " + line + "\n" + Files.readString(stderr));
                }
            }
            return true;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
            process.waitFor();
        }

        void awaitExit() throws Exception {
            if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the finishing child did not finish within " + CHILD_TIMEOUT_SECONDS + " s\n"
                        + Files.readString(stderr));
            }
            assertThat(process.exitValue())
                    .as("finishing child's exit code; stderr:\n%s", Files.readString(stderr))
                    .isZero();
        }

        private String next() throws Exception {
            String line = lines.poll(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                process.destroyForcibly();
                fail("child silent for " + CHILD_TIMEOUT_SECONDS + " s\n" + Files.readString(stderr));
            }
            if (line.equals("<eof>")) {
                fail("child exited early (code " + process.waitFor() + ")\n" + Files.readString(stderr));
            }
            return line;
        }
    }
}
