package io.voltworkflow.server.cli;

import io.voltworkflow.core.DuplicateWorkflowException;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.RepairPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code run "<requirement>"}: runs one workflow in this process on the embedded defaults, shows its progress live
 * and ends with a summary. {@code run --resume ID} continues a failed, paused or interrupted workflow of the data
 * directory the same way. Exit code: 0 completed, 1 failed or refused, 2 cancelled; 130 when interrupted (the
 * workflow is checkpointed and resumes the next time the data directory is opened).
 */
final class RunCommand {
    /** How long {@code run} waits for its workflow's notifications to be sent before exiting. */
    static final Duration NOTIFICATION_WAIT = Duration.ofSeconds(30);

    static final String USAGE = """
      Usage: volt run "<requirement>" [options]
             volt run --resume ID [options]
        Runs a workflow end to end in this process and prints a summary; --resume continues a failed,
        paused or interrupted workflow of the data directory (re-running only what did not complete).
        --resume ID          continue workflow ID instead of starting a new one
        --context KEY=VALUE  project context entry (repeatable), e.g. --context language=Java
        --label KEY=VALUE    label (repeatable)
        --workflow-id ID     choose the workflow id
        --deadline-ms N      fail the workflow if it runs longer
        --max-repair-rounds N  how often a task whose validation failed goes back to code
                             generation with the failures (0-10, default 2)
        --plain              plain progress lines even on a terminal
      """ + EmbeddedOrchestrator.HELP;

    private RunCommand() {}

    static int run(CliEnvironment env, List<String> args) {
        Set<String> valued = new HashSet<>(EmbeddedOrchestrator.OPTIONS);
        valued.addAll(Set.of("context", "label", "workflow-id", "deadline-ms", "max-repair-rounds", "resume"));
        Set<String> flags = new HashSet<>(EmbeddedOrchestrator.FLAGS);
        flags.add("plain");
        Arguments parsed = Arguments.parse(args, valued, flags);
        if (parsed.value("resume") != null) {
            if (!parsed.positional().isEmpty()) {
                throw new UsageException("--resume continues an existing workflow; give it no requirement");
            }
            WorkflowId id;
            try {
                id = WorkflowId.of(parsed.value("resume"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--resume: " + e.getMessage());
            }
            return resume(env, parsed, id);
        }
        String requirement = requirement(parsed.positional());
        WorkflowOptions requested = workflowOptions(parsed);

        try (EmbeddedOrchestrator embedded = EmbeddedOrchestrator.open(env, parsed)) {
            WorkflowOrchestrator orchestrator = embedded.orchestrator();
            List<WorkflowId> interrupted = interrupted(orchestrator);
            WorkflowOptions options = embedded.engines()
                    .map(engines -> engines.apply(null, requested))
                    .orElse(requested);
            WorkflowStatus created;
            try {
                created = orchestrator.createWorkflow(requirement, parsed.pairs("context"), options);
            } catch (InvalidWorkflowException e) {
                throw new UsageException(e.getMessage());
            } catch (DuplicateWorkflowException e) {
                env.err().println("volt: " + e.getMessage() + "; choose another --workflow-id");
                return ExitCodes.FAILED;
            }
            WorkflowId id = created.workflowId();
            if (created.state() != WorkflowState.INITIALIZED) {
                env.err()
                        .println("volt: workflow " + id + " exists already ("
                                + created.state().name().toLowerCase(java.util.Locale.ROOT)
                                + "); "
                                + (created.state() == WorkflowState.FAILED || created.state() == WorkflowState.PAUSED
                                        ? "continue it with: volt run --resume " + id
                                        : "choose another --workflow-id"));
                return ExitCodes.FAILED;
            }
            env.out().println("Workflow " + id + ": " + Terminal.header(requirement));
            noteInterrupted(env, interrupted);
            return follow(env, parsed, embedded, id, 0, () -> orchestrator.startWorkflow(id));
        }
    }

    /** Continues workflow {@code id} of the data directory in this process; also {@code volt resume} without a server. */
    static int resume(CliEnvironment env, Arguments parsed, WorkflowId id) {
        try (EmbeddedOrchestrator embedded = EmbeddedOrchestrator.open(env, parsed)) {
            WorkflowOrchestrator orchestrator = embedded.orchestrator();
            WorkflowStatus status;
            try {
                status = orchestrator.getWorkflowStatus(id);
            } catch (WorkflowNotFoundException e) {
                env.err().println("volt: there is no workflow " + id + " in " + embedded.dataDirectory());
                return ExitCodes.FAILED;
            }
            env.out().println("Workflow " + id + ": " + Terminal.header(status.requirement()));
            Runnable start;
            switch (status.state()) {
                case FAILED, PAUSED -> {
                    env.out()
                            .println("Resuming the " + status.state().name().toLowerCase(java.util.Locale.ROOT)
                                    + " workflow: steps that did not complete run again.");
                    start = () -> orchestrator.resumeWorkflow(id);
                }
                case RUNNING -> {
                    env.out().println("The workflow was interrupted; it continues where it stopped.");
                    start = () -> {};
                }
                case INITIALIZED -> start = () -> orchestrator.startWorkflow(id);
                default -> {
                    SummaryTable.print(env.out(), status);
                    env.err()
                            .println("volt: workflow " + id + " has "
                                    + status.state().name().toLowerCase(java.util.Locale.ROOT)
                                    + "; there is nothing to resume");
                    return status.state() == WorkflowState.COMPLETED ? ExitCodes.COMPLETED : ExitCodes.FAILED;
                }
            }
            noteInterrupted(
                    env,
                    interrupted(orchestrator).stream()
                            .filter(other -> !other.equals(id))
                            .toList());
            return follow(env, parsed, embedded, id, status.lastSequence(), start);
        }
    }

    /** Shows the workflow's progress from {@code afterSequence} until it ends or the user interrupts this process. */
    private static int follow(
            CliEnvironment env,
            Arguments parsed,
            EmbeddedOrchestrator embedded,
            WorkflowId id,
            long afterSequence,
            Runnable start) {
        WorkflowOrchestrator orchestrator = embedded.orchestrator();
        ProgressPrinter printer = new ProgressPrinter(env.out(), env.interactive() && !parsed.flag("plain"));
        WorkflowStatus last;
        try (Subscription ignored = orchestrator.subscribe(id, afterSequence, printer)) {
            start.run();
            CompletableFuture<WorkflowStatus> done = orchestrator.awaitTermination(id);
            CompletableFuture.anyOf(done, env.stopRequested()).join();
            if (!done.isDone()) {
                printer.finish();
                embedded.shutdown(Duration.ZERO);
                env.err()
                        .println("Interrupted: workflow " + id + " is checkpointed in " + embedded.dataDirectory()
                                + "; continue it with: volt run --resume " + id);
                return ExitCodes.INTERRUPTED;
            }
            last = done.join();
            // Delivery is asynchronous: show every progress line before the table.
            try {
                printer.awaitShown(last.lastSequence(), Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        printer.finish();
        awaitNotifications(env, embedded, last);
        SummaryTable.print(env.out(), last);
        RunSummary.print(env.out(), last, embedded.workspace());
        return ExitCodes.of(last.state());
    }

    /**
     * Sends the workflow's notifications before exiting; those waiting for a retry are sent by the next process on the
     * data directory, which the console says.
     */
    private static void awaitNotifications(CliEnvironment env, EmbeddedOrchestrator embedded, WorkflowStatus last) {
        embedded.webhooks().ifPresent(webhooks -> {
            try {
                boolean settled = webhooks.awaitSettled(last.workflowId(), last.lastSequence(), NOTIFICATION_WAIT);
                long waiting =
                        webhooks.deliveries(null, io.voltworkflow.core.outbox.DeliveryState.PENDING, 1000).stream()
                                .filter(delivery -> delivery.workflowId().equals(last.workflowId()))
                                .count();
                if (!settled || waiting > 0) {
                    env.err()
                            .println("volt: "
                                    + (waiting > 0
                                            ? waiting
                                                    + (waiting == 1
                                                            ? " webhook delivery of this workflow waits"
                                                            : " webhook deliveries of this workflow wait")
                                                    + " for a retry"
                                            : "webhook deliveries are still in progress")
                                    + "; the next volt run or volt serve on " + embedded.dataDirectory()
                                    + " sends them");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Workflows that were running when an earlier process stopped: opening the data directory continues them. */
    private static List<WorkflowId> interrupted(WorkflowOrchestrator orchestrator) {
        return orchestrator
                .listWorkflows(new WorkflowQuery(Set.of(WorkflowState.RUNNING), null, null, 0, WorkflowQuery.MAX_LIMIT))
                .stream()
                .map(WorkflowStatus::workflowId)
                .toList();
    }

    private static void noteInterrupted(CliEnvironment env, List<WorkflowId> interrupted) {
        if (!interrupted.isEmpty()) {
            env.out()
                    .println("Also continuing " + Terminal.count(interrupted.size(), "interrupted workflow")
                            + " of this data " + "directory in passing: "
                            + String.join(
                                    ", ",
                                    interrupted.stream().map(WorkflowId::value).toList()));
        }
    }

    private static String requirement(List<String> positional) {
        if (positional.isEmpty()) {
            throw new UsageException(
                    "run needs a requirement, in quotes: volt run \"Build a REST API\" (or --resume ID)");
        }
        if (positional.size() > 1) {
            throw new UsageException("run takes one requirement but got " + positional.size()
                    + " words; put the whole requirement in quotes: volt run \"Build a REST API\"");
        }
        if (positional.get(0).isBlank()) {
            throw new UsageException("the requirement is blank; say what to build: volt run \"Build a REST API\"");
        }
        return positional.get(0);
    }

    private static WorkflowOptions workflowOptions(Arguments parsed) {
        WorkflowOptions.Builder options = WorkflowOptions.builder().labels(parsed.pairs("label"));
        try {
            if (parsed.value("workflow-id") != null) {
                options.workflowId(WorkflowId.of(parsed.value("workflow-id")));
            }
            int deadline = parsed.intValue("deadline-ms", 0, 1, Integer.MAX_VALUE);
            if (deadline > 0) {
                options.deadline(Duration.ofMillis(deadline));
            }
            if (parsed.value("max-repair-rounds") != null) {
                options.maxRepairRounds(parsed.intValue("max-repair-rounds", 0, 0, RepairPolicy.MAX_ROUNDS_LIMIT));
            }
            return options.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
