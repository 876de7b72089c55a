package io.jenkins.plugins.voltworkflow.step;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineType;
import io.jenkins.plugins.voltworkflow.progress.ConsoleLines;
import io.jenkins.plugins.voltworkflow.runtime.BlockingWork;
import io.jenkins.plugins.voltworkflow.runtime.BuildWorkflow;
import io.jenkins.plugins.voltworkflow.runtime.Milestone;
import io.jenkins.plugins.voltworkflow.runtime.ResultMaps;
import io.jenkins.plugins.voltworkflow.runtime.TaskEvents;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest;
import io.jenkins.plugins.voltworkflow.workspace.LauncherCommandRunner;
import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowStatus;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The one execution of every Volt step: a plain asynchronous {@link StepExecution}. {@link #start()} only hands
 * over to a background thread (no I/O on the CPS VM thread); the workflow runs in the
 * build's orchestrator, and the step completes when its {@link Milestone} is reached. After a controller restart
 * {@link #onResume()} opens the orchestrator again on the store in the build's directory: the workflow resumes
 * there (engine jobs already submitted are polled, not submitted again) and the step goes on waiting.
 * {@link #stop(Throwable)} stops waiting; it cancels the workflow only for the step that started it or a build abort.
 */
final class VoltStepExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final long CONSOLE_CATCH_UP_SECONDS = 10;
    private static final Logger LOGGER = Logger.getLogger(VoltStepExecution.class.getName());

    private final String workflowName;
    /** Set for the steps that start the workflow; {@code null} for those that join it. */
    private final WorkflowRequest request;

    private final Milestone milestone;
    private final boolean failOnError;

    private transient volatile CompletableFuture<WorkflowStatus> waiting;
    private transient volatile ConsoleFollower console;
    private transient volatile WorkspaceBroker.Offer workspace;
    private transient volatile ConsoleLines lines;

    VoltStepExecution(
            StepContext context,
            String workflowName,
            WorkflowRequest request,
            Milestone milestone,
            boolean failOnError) {
        super(context);
        this.workflowName = workflowName;
        this.request = request;
        this.milestone = milestone;
        this.failOnError = failOnError;
    }

    @Override
    public boolean start() {
        // No LabelAction on the node: Stage View and Blue Ocean would take each step for a stage. The step's
        // display name and argumentsToString label it.
        BlockingWork.executor().submit(() -> begin(false));
        return false;
    }

    @Override
    public void onResume() {
        BlockingWork.executor().submit(() -> begin(true));
    }

    private void begin(boolean resumed) {
        // A step refused before its workflow exists takes its action back: a corrected retry is not a clash.
        Run<?, ?> run = null;
        VoltWorkflowAction attached = null;
        try {
            run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            boolean first = request != null
                    && VoltWorkflowAction.find(run, request.name()).isEmpty();
            VoltWorkflowAction action = request != null
                    ? VoltWorkflowAction.attach(run, request)
                    : VoltWorkflowAction.find(run, workflowName)
                            .orElseThrow(
                                    () -> new AbortException(ConsoleLines.PREFIX + "this build has no workflow named '"
                                            + workflowName + "': start it with voltAnalyze or voltWorkflow first"));
            attached = first ? action : null;
            lines = new ConsoleLines(action.secretMask());
            if (!resumed) {
                requireWorkspaceWhereNeeded(action.getRequest());
            }
            // Resumed after a restart, the workflow's validations ask for a workspace as soon as it opens, a moment
            // before this step lends its own again: they are told one is coming, not to look for a node {}.
            BuildWorkflow workflow = action.session(resumed && lendsWorkspace());
            if (request != null) {
                attached = null;
                workflow.ensureStarted(!resumed);
            }
            if (resumed) {
                listener.getLogger()
                        .println(ConsoleLines.PREFIX + "resumed after a controller restart: " + milestone.label());
            } else if (request != null) {
                ConsoleFollower.printPageLink(run, action, listener);
            }
            offerWorkspace(workflow, listener);
            followConsole(action, workflow, listener);
            CompletableFuture<WorkflowStatus> future = workflow.await(milestone);
            waiting = future;
            future.whenComplete(this::finish);
        } catch (
                IllegalArgumentException e) { // a configuration problem (credentials, engines): its message says it all
            refused(run, attached);
            getContext().onFailure(new AbortException(ConsoleLines.PREFIX + shown(e.getMessage())));
        } catch (Exception e) {
            refused(run, attached);
            getContext().onFailure(e);
        }
    }

    private void refused(Run<?, ?> run, VoltWorkflowAction attached) {
        release();
        if (run != null && attached != null) {
            try {
                VoltWorkflowAction.detach(run, attached);
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "cannot take back the refused workflow's action of " + run, e);
            }
        }
    }

    /**
     * A validation by command (or the built-in engine's detected build) runs in a workspace this step lends: without
     * {@code node {}} it would wait for one until the step timeout, retry after retry. Fail at once instead. Only the
     * steps that validate need one: voltWorkflow, which runs every validation, and voltValidate; voltWorkflowStatus
     * waiting for the end of a workflow whose tasks are validated in their own branches does not.
     */
    private void requireWorkspaceWhereNeeded(WorkflowRequest workflowRequest) throws Exception {
        boolean validates = milestone.kind() == Milestone.Kind.VALIDATION
                || milestone.kind() == Milestone.Kind.WORKFLOW && request != null;
        EngineType validation = workflowRequest.engine(EngineRole.VALIDATION).type();
        boolean onAgent = validation == EngineType.COMMAND || validation == EngineType.BUILTIN;
        if (validates && onAgent && getContext().get(FilePath.class) == null) {
            throw new AbortException(
                    ConsoleLines.PREFIX + "validation runs a command in a workspace (" + validation.id()
                            + " engine): put this step inside node { }, or configure an HTTP validation engine");
        }
    }

    /** Inside {@code node {}}, lends the workspace to command validations: of every task, or of this step's task. */
    private void offerWorkspace(BuildWorkflow workflow, TaskListener listener) throws Exception {
        FilePath path = getContext().get(FilePath.class);
        Launcher launcher = getContext().get(Launcher.class);
        if (lendsWorkspace() && path != null && launcher != null) {
            EnvVars environment = getContext().get(EnvVars.class);
            Map<String, String> env = environment == null ? Map.of() : environment;
            workspace = workflow.workspaces()
                    .offer(milestone.task(), new LauncherCommandRunner(path, launcher, listener, env));
        }
    }

    /** Whether this step lends its workspace to validations: it validates and runs inside {@code node {}}. */
    private boolean lendsWorkspace() throws Exception {
        boolean validates =
                milestone.kind() == Milestone.Kind.WORKFLOW || milestone.kind() == Milestone.Kind.VALIDATION;
        return validates
                && getContext().get(FilePath.class) != null
                && getContext().get(Launcher.class) != null;
    }

    private void followConsole(VoltWorkflowAction action, BuildWorkflow workflow, TaskListener listener) {
        if (milestone.kind() == Milestone.Kind.NOW) {
            return;
        }
        // The step that started the workflow prints every line. The others print what it has not printed: voltCodegen
        // the lines of its task's code generation, voltValidate those of its validation, voltWorkflowStatus(wait: true)
        // the lines outside the tasks.
        boolean printsEverything = request != null;
        long after = action.getConsoleSequence();
        Predicate<EventRecord> relevant = printsEverything
                ? event -> true
                : milestone.task() == null
                        ? TaskEvents.outsideTasks(workflow::status)
                        : milestone.kind() == Milestone.Kind.CODEGEN
                                ? TaskEvents.codegenOf(workflow::status, milestone.task())
                                : TaskEvents.validationOf(workflow::status, milestone.task());
        console = ConsoleFollower.follow(action, workflow, listener, after, relevant, printsEverything);
    }

    private void finish(WorkflowStatus status, Throwable error) {
        ConsoleFollower follower = console;
        WorkflowStatus reached = status != null
                ? status
                : error instanceof BuildWorkflow.MilestoneMissedException missed ? missed.status() : null;
        if (follower == null || reached == null) {
            end(status, error, reached);
            return;
        }
        // The step ends once its console lines are printed; a subscriber that never catches up does not hold it.
        follower.finishAt(reached.lastSequence())
                .completeOnTimeout(null, CONSOLE_CATCH_UP_SECONDS, TimeUnit.SECONDS)
                .whenCompleteAsync((printed, ignored) -> end(status, error, reached), BlockingWork.executor());
    }

    private void end(WorkflowStatus status, Throwable error, WorkflowStatus reached) {
        release();
        if (error instanceof CancellationException) {
            return; // stop() has reported the step's end
        }
        if (reached != null
                && reached.state() == WorkflowState.CANCELLED
                && (error != null || milestone.kind() == Milestone.Kind.WORKFLOW && failOnError)) {
            // Cancelled from the page or the API: the build ends as ABORTED, like a stopped build.
            getContext()
                    .onFailure(new FlowInterruptedException(
                            Result.ABORTED,
                            true,
                            new WorkflowCancelled(
                                    lines == null
                                            ? "the workflow was cancelled"
                                            : lines.untrusted(ResultMaps.failure(reached)
                                                    .orElse("the workflow was cancelled")))));
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof BuildWorkflow.MilestoneMissedException
                    ? error
                    : error.getCause() != null ? error.getCause() : error;
            getContext().onFailure(new AbortException(ConsoleLines.PREFIX + shown(cause.getMessage())));
            return;
        }
        Optional<String> failure = milestone.kind() == Milestone.Kind.WORKFLOW && failOnError
                ? ResultMaps.failure(status)
                : Optional.empty();
        if (failure.isPresent()) {
            getContext().onFailure(new AbortException(ConsoleLines.PREFIX + shown(failure.get())));
        } else {
            getContext().onSuccess(ResultMaps.forMilestone(milestone, status));
        }
    }

    /** Engine text on one line, secrets masked. */
    private String shown(String message) {
        ConsoleLines console = lines;
        return console == null ? String.valueOf(message) : console.untrusted(message);
    }

    private void release() {
        ConsoleFollower follower = console;
        if (follower != null) {
            follower.stop();
        }
        WorkspaceBroker.Offer offer = workspace;
        if (offer != null) {
            offer.close();
        }
    }

    /**
     * Stops waiting. Only the step that started the workflow, or an abort of the whole build, cancels it: a
     * {@code timeout {}} around one {@code voltCodegen}, or a failing sibling branch of a fail-fast {@code parallel},
     * must not cancel the other tasks.
     */
    @Override
    public void stop(Throwable cause) {
        CompletableFuture<WorkflowStatus> future = waiting;
        if (future != null) {
            future.cancel(false);
        }
        release();
        boolean cancelsWorkflow = request != null || abortsTheBuild(cause);
        BlockingWork.executor().submit(() -> {
            try {
                if (cancelsWorkflow) {
                    Run<?, ?> run = getContext().get(Run.class);
                    VoltWorkflowAction.find(run, workflowName).ifPresent(action -> {
                        WorkflowStatus status = action.session().status();
                        if (!status.state().isTerminal()) {
                            action.session().cancel("the Pipeline step was stopped: " + cause.getMessage());
                        }
                    });
                }
            } catch (Exception e) {
                cause.addSuppressed(e);
            } finally {
                getContext().onFailure(cause);
            }
        });
    }

    /** A user (or the API) aborted the build, as opposed to a timeout or a fail-fast sibling stopping one step. */
    static boolean abortsTheBuild(Throwable cause) {
        return cause instanceof FlowInterruptedException interrupted
                && interrupted.getCauses().stream()
                        .anyMatch(reason -> reason instanceof CauseOfInterruption.UserInterruption);
    }

    @Override
    public String getStatus() {
        return "waiting for " + milestone.label();
    }
}
