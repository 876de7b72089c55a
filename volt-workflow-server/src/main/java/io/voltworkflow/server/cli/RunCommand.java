package io.voltworkflow.server.cli;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.status.WorkflowStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code run "<requirement>"}: runs one workflow in this process on the embedded defaults, shows its progress live
 * and ends with a summary. Exit code: 0 completed, 1 failed, 2 cancelled; 130 when interrupted (the workflow is
 * checkpointed and resumes the next time the data directory is opened).
 */
final class RunCommand {
  static final String USAGE = """
      Usage: volt run "<requirement>" [options]
        Runs a workflow end to end in this process and prints a summary.
        --context KEY=VALUE  project context entry (repeatable), e.g. --context language=Java
        --label KEY=VALUE    label (repeatable)
        --workflow-id ID     choose the workflow id
        --deadline-ms N      fail the workflow if it runs longer
        --plain              plain progress lines even on a terminal
      """ + EmbeddedOrchestrator.HELP;

  private RunCommand() {}

  static int run(CliEnvironment env, List<String> args) {
    Set<String> valued = new HashSet<>(EmbeddedOrchestrator.OPTIONS);
    valued.addAll(Set.of("context", "label", "workflow-id", "deadline-ms"));
    Arguments parsed = Arguments.parse(args, valued, Set.of("plain"));
    if (parsed.positional().size() != 1 || parsed.positional().get(0).isBlank()) {
      throw new UsageException("run needs exactly one requirement, in quotes: volt run \"Build a REST API\"");
    }
    String requirement = parsed.positional().get(0);
    WorkflowOptions requested = workflowOptions(parsed);

    try (EmbeddedOrchestrator embedded = EmbeddedOrchestrator.open(env, parsed)) {
      WorkflowOrchestrator orchestrator = embedded.orchestrator();
      WorkflowOptions options = embedded.engines().map(engines -> engines.apply(null, requested)).orElse(requested);
      WorkflowStatus created;
      try {
        created = orchestrator.createWorkflow(requirement, parsed.pairs("context"), options);
      } catch (InvalidWorkflowException e) {
        throw new UsageException(e.getMessage());
      }
      WorkflowId id = created.workflowId();
      env.out().println("Workflow " + id + ": " + Terminal.safe(requirement));
      ProgressPrinter printer = new ProgressPrinter(env.out(), env.interactive() && !parsed.flag("plain"));
      WorkflowStatus last;
      try (Subscription ignored = orchestrator.subscribe(id, 0, printer)) {
        orchestrator.startWorkflow(id);
        CompletableFuture<WorkflowStatus> done = orchestrator.awaitTermination(id);
        CompletableFuture.anyOf(done, env.stopRequested()).join();
        if (!done.isDone()) {
          printer.finish();
          embedded.shutdown(Duration.ZERO);
          env.err().println("Interrupted: workflow " + id + " is checkpointed in " + embedded.dataDirectory()
              + " and resumes the next time Volt Workflow opens it.");
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
      SummaryTable.print(env.out(), last);
      return ExitCodes.of(last.state());
    }
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
      return options.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
