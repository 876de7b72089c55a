package io.jenkins.plugins.voltworkflow.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.init.Terminator;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.voltworkflow.credentials.RunCredentials;
import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.jenkins.plugins.voltworkflow.delivery.ControllerDelivery;
import io.jenkins.plugins.voltworkflow.history.WorkflowSummary;
import io.jenkins.plugins.voltworkflow.runtime.BuildWorkflow;
import io.jenkins.plugins.voltworkflow.runtime.PageJson;
import io.jenkins.plugins.voltworkflow.runtime.StandardEngineFactory;
import io.jenkins.plugins.voltworkflow.runtime.StatusFile;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowIds;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowRequest;
import io.jenkins.plugins.voltworkflow.runtime.WorkflowSessions;
import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.EventType;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.status.PatchHistory;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.WorkflowStore;
import io.voltworkflow.ui.UiAssets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.WebMethod;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.kohsuke.stapler.verb.GET;

/**
 * One workflow of a build: its request and summary saved in build.xml (plain types), a summary card on the build
 * page, and its own page with the live DAG. The page is the shared front-end (volt-workflow-ui) in Jenkins mode,
 * configured through {@code data-*} attributes (no inline script, so it works under an enforced
 * Content-Security-Policy), reading {@code status} and {@code events} (GET, Item.READ) and posting to
 * {@code pause}, {@code resume} and {@code cancel} (POST with the crumb, Item.CANCEL); {@code patches} (GET,
 * Item.READ) downloads every generated patch with its provenance.
 */
@ExportedBean
public final class VoltWorkflowAction implements RunAction2 {

    private static final Logger LOGGER = Logger.getLogger(VoltWorkflowAction.class.getName());
    private static final WorkflowSessions SESSIONS = new WorkflowSessions();
    static final String URL_NAME = "volt-workflow";
    private static final int EVENTS_PAGE = 200;
    /** What the page shows instead of the controller's home directory. */
    private static final String JENKINS_HOME = "$JENKINS_HOME";
    /** Events that change what the summary shows; progress chatter does not trigger a save. */
    private static final Set<EventType> SAVED_ON = Set.of(
            EventType.WORKFLOW_STARTED,
            EventType.WORKFLOW_EXPANDED,
            EventType.STEP_COMPLETED,
            EventType.STEP_FAILED,
            EventType.STEP_RETRYING,
            EventType.STEP_CANCELLED,
            EventType.REPAIR_ROUND_STARTED,
            EventType.WORKFLOW_PAUSED,
            EventType.WORKFLOW_RESUMED,
            EventType.WORKFLOW_COMPLETED,
            EventType.WORKFLOW_FAILED,
            EventType.WORKFLOW_CANCELLED);

    private final String workflowName;
    private final String workflowId;
    private final WorkflowRequest request;
    private volatile WorkflowSummary summary;
    private volatile long consoleSequence;

    private transient Run<?, ?> run;
    private transient SecretMask mask;

    private VoltWorkflowAction(String workflowName, String workflowId, WorkflowRequest request) {
        this.workflowName = workflowName;
        this.workflowId = workflowId;
        this.request = request;
    }

    /**
     * The build's action for the request's workflow, added (and saved) on first use.
     *
     * @throws IllegalArgumentException when the build already ran a different workflow under the same name
     */
    public static VoltWorkflowAction attach(Run<?, ?> run, WorkflowRequest request) throws IOException {
        synchronized (run) {
            Optional<VoltWorkflowAction> existing = find(run, request.name());
            if (existing.isPresent()) {
                if (!existing.get().request.equals(request)) {
                    throw new IllegalArgumentException("this build already has a workflow named '" + request.name()
                            + "' with other settings; give the second one another name: name: '...'");
                }
                return existing.get();
            }
            WorkflowId id = WorkflowIds.forBuild(run.getParent().getFullName(), run.getNumber(), request.name());
            VoltWorkflowAction action = new VoltWorkflowAction(request.name(), id.value(), request);
            run.addAction(action);
            run.save();
            return action;
        }
    }

    /**
     * Takes back the action {@link #attach} added for a step refused before its workflow was created (engines that
     * cannot be built, no workspace for a command validation): a corrected step under the same name in the same build
     * is then a first use, not a clash with settings that never ran.
     */
    public static void detach(Run<?, ?> run, VoltWorkflowAction action) throws IOException {
        synchronized (run) {
            SESSIONS.close(action.id());
            run.removeAction(action);
            run.save();
        }
    }

    public static Optional<VoltWorkflowAction> find(Run<?, ?> run, String workflowName) {
        return run.getActions(VoltWorkflowAction.class).stream()
                .filter(a -> a.workflowName.equals(workflowName))
                .findFirst();
    }

    /**
     * The workflow, live on this controller: opened on first use (a workflow that was running resumes by itself).
     */
    public BuildWorkflow session() {
        return session(false);
    }

    /**
     * As {@link #session()}; {@code workspaceFollows}: the caller lends its workspace right after opening (a step
     * resumed inside {@code node {}}), so validations the opening resumes wait for it quietly.
     */
    public BuildWorkflow session(boolean workspaceFollows) {
        return SESSIONS.openIfAbsent(id(), () -> {
            BuildWorkflow workflow = BuildWorkflow.open(
                    id(),
                    request,
                    BuildStores.open(workflowDirectory()),
                    new StandardEngineFactory(
                            SharedEngines.get(),
                            (id, url) -> RunCredentials.resolve(run, id, url),
                            secretMask(),
                            workflowDirectory().resolve("builtin"),
                            (spec, tip) -> new ControllerDelivery(
                                    spec,
                                    tip,
                                    workflowDirectory().resolve("delivery"),
                                    (id, url) -> RunCredentials.resolve(run, id, url),
                                    (id, url) -> RunCredentials.resolveGit(run, id, url),
                                    secretMask(),
                                    SharedEngines.get())),
                    workspaceFollows);
            workflow.onEvents(this::recordEvent);
            return workflow;
        });
    }

    /** Stops every live workflow before the controller goes down, so none goes on against a dead build. */
    @Terminator
    public static void closeAllSessions() {
        SESSIONS.closeAll();
    }

    private Optional<BuildWorkflow> liveSession() {
        return SESSIONS.get(id());
    }

    /** Closes the live workflow, cancelling it first if it is still active (the build is over). */
    public void closeSession(String reason) {
        liveSession().ifPresent(workflow -> {
            WorkflowStatus status = workflow.status();
            if (!status.state().isTerminal()) {
                status = workflow.cancel(reason);
            }
            record(status);
            SESSIONS.close(id());
        });
    }

    private void recordEvent(EventRecord event) {
        if (SAVED_ON.contains(event.type())) {
            liveSession().ifPresent(workflow -> record(workflow.status()));
        }
    }

    private synchronized void record(WorkflowStatus status) {
        summary = WorkflowSummary.of(status);
        try {
            new StatusFile(workflowDirectory()).write(status);
            run.save();
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "cannot save the workflow summary of " + run, e);
        }
    }

    /** Secrets resolved for this build, masked wherever engine text is shown. */
    public synchronized SecretMask secretMask() {
        if (mask == null) {
            mask = new SecretMask();
        }
        return mask;
    }

    /** The last event sequence printed to the console, so a resumed step does not print lines again. */
    public long getConsoleSequence() {
        return consoleSequence;
    }

    public void consolePrinted(long sequence) {
        if (sequence > consoleSequence) {
            consoleSequence = sequence;
        }
    }

    private Path workflowDirectory() {
        return run.getRootDir().toPath().resolve(URL_NAME).resolve(workflowName);
    }

    private WorkflowId id() {
        return WorkflowId.of(workflowId);
    }

    @Exported
    public String getWorkflowName() {
        return workflowName;
    }

    @Exported
    public String getWorkflowId() {
        return workflowId;
    }

    public WorkflowRequest getRequest() {
        return request;
    }

    /** {@code null} until the workflow reported its first step. */
    @Exported
    public WorkflowSummary getSummary() {
        return summary;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    /** Whether the current user may pause, resume and cancel (the page shows the buttons only then). */
    public boolean isControllable() {
        return run.getParent().hasPermission(Item.CANCEL);
    }

    @Override
    public String getIconFileName() {
        return "symbol-git-network-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return WorkflowRequest.DEFAULT_NAME.equals(workflowName) ? "Volt Workflow" : "Volt Workflow: " + workflowName;
    }

    @Override
    public String getUrlName() {
        return urlName(workflowName);
    }

    /** The page's URL name of the workflow named {@code workflowName}, relative to its build. */
    public static String urlName(String workflowName) {
        return WorkflowRequest.DEFAULT_NAME.equals(workflowName) ? URL_NAME : URL_NAME + "-" + workflowName;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @GET
    @WebMethod(name = "status")
    public void doStatus(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.READ);
        Optional<String> json = liveSession()
                .map(workflow -> WorkflowJson.write(workflow.status()))
                .or(() -> new StatusFile(workflowDirectory()).read().map(PageJson::notResumable));
        if (json.isEmpty()) {
            sendError(rsp, 404, "NOT_STARTED", "the workflow has not started yet");
            return;
        }
        sendJson(rsp, 200, PageJson.withoutPath(json.get(), jenkinsHome(), JENKINS_HOME));
    }

    @GET
    @WebMethod(name = "events")
    public void doEvents(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.READ);
        long after;
        try {
            String parameter = req.getParameter("after");
            after = parameter == null || parameter.isBlank() ? 0 : Long.parseLong(parameter.trim());
        } catch (NumberFormatException e) {
            sendError(rsp, 400, "INVALID_INPUT", "'after' must be a whole number");
            return;
        }
        Optional<BuildWorkflow> workflow = liveSession();
        if (workflow.isPresent()) {
            sendJson(
                    rsp,
                    200,
                    PageJson.events(
                            workflow.get().events(after, EVENTS_PAGE),
                            workflow.get().status().lastSequence()));
            return;
        }
        // The build is over (or ran on a controller since restarted): the events are in the build's store.
        List<EventRecord> stored = storedEvents(after);
        long last = stored.isEmpty() ? after : stored.get(stored.size() - 1).sequence();
        Optional<String> saved = new StatusFile(workflowDirectory()).read();
        if (saved.isPresent()) {
            last = Math.max(
                    last,
                    WorkflowJson.mapper()
                            .readTree(saved.get())
                            .path("lastSequence")
                            .asLong(last));
        }
        sendJson(rsp, 200, PageJson.events(stored, last));
    }

    /**
     * Every patch the workflow generated, each repair round's included, with its provenance: the same JSON as the
     * server's {@code GET /api/v1/workflows/{id}/patches}, read from the live workflow or, once the build is over, from
     * the build's store. Paths under the controller's home directory are shown relative to {@code $JENKINS_HOME}.
     */
    @GET
    @WebMethod(name = "patches")
    public void doPatches(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.READ);
        Optional<BuildWorkflow> live = liveSession();
        ObjectNode history;
        if (live.isPresent()) {
            BuildWorkflow workflow = live.get();
            history = PatchHistory.of(id(), PatchHistory.codegenSteps(workflow.status()), workflow::events);
        } else {
            Optional<String> saved = new StatusFile(workflowDirectory()).read();
            if (saved.isEmpty() || !Files.isDirectory(workflowDirectory().resolve("store"))) {
                sendError(rsp, 404, "NOT_STARTED", "the workflow has not started yet");
                return;
            }
            Set<String> codegenSteps = new HashSet<>();
            WorkflowJson.mapper().readTree(saved.get()).path("steps").forEach(step -> {
                if (step.path("type").asText().equals(StepType.CODEGEN.id())) {
                    codegenSteps.add(step.path("name").asText());
                }
            });
            WorkflowStore store = BuildStores.open(workflowDirectory());
            try {
                history = PatchHistory.of(id(), codegenSteps, (after, limit) -> store.read(id(), after, limit));
            } finally {
                store.close();
            }
        }
        sendJson(rsp, 200, PageJson.patches(history, jenkinsHome(), JENKINS_HOME));
    }

    private static String jenkinsHome() {
        return Jenkins.get().getRootDir().getAbsolutePath();
    }

    @RequirePOST
    public void doPause(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        control(rsp, workflow -> workflow.pause().getNow(workflow.status()));
    }

    @RequirePOST
    public void doResume(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        control(rsp, BuildWorkflow::resume);
    }

    @RequirePOST
    public void doCancel(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        String user = Jenkins.getAuthentication2().getName();
        String reason = PageJson.cancelReason(req.getInputStream());
        control(
                rsp,
                workflow -> workflow.cancel(
                        "cancelled by " + user + " from the build page" + (reason.isEmpty() ? "" : ": " + reason)));
    }

    private List<EventRecord> storedEvents(long after) {
        if (!Files.isDirectory(workflowDirectory().resolve("store"))) {
            return List.of();
        }
        WorkflowStore store = BuildStores.open(workflowDirectory());
        try {
            return store.read(id(), after, EVENTS_PAGE);
        } finally {
            store.close();
        }
    }

    /** The shared front-end's files (volt-workflow-ui), served under this page so module imports stay relative. */
    @GET
    public void doUi(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.READ);
        Optional<UiAssets.Asset> asset = UiAssets.find(req.getRestOfPath().replaceFirst("^/", ""));
        if (asset.isEmpty()) {
            rsp.sendError(404);
            return;
        }
        byte[] bytes = asset.get().bytes();
        rsp.setContentType(asset.get().contentType());
        rsp.setHeader("Cache-Control", "no-cache");
        rsp.setHeader("X-Content-Type-Options", "nosniff");
        rsp.setContentLength(bytes.length);
        rsp.getOutputStream().write(bytes);
    }

    private void control(StaplerResponse2 rsp, Function<BuildWorkflow, WorkflowStatus> change) throws IOException {
        run.getParent().checkPermission(Item.CANCEL);
        Optional<BuildWorkflow> workflow = liveSession();
        if (workflow.isEmpty()) {
            sendError(rsp, 409, "NOT_RUNNING", "the workflow is not running on this controller");
            return;
        }
        try {
            sendJson(rsp, 200, WorkflowJson.write(change.apply(workflow.get())));
        } catch (IllegalTransitionException e) {
            sendError(rsp, 409, "ILLEGAL_TRANSITION", e.getMessage());
        }
    }

    private static void sendJson(StaplerResponse2 rsp, int status, String json) throws IOException {
        rsp.setStatus(status);
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setHeader("Cache-Control", "no-store");
        rsp.setHeader("X-Content-Type-Options", "nosniff");
        try (PrintWriter writer = rsp.getWriter()) {
            writer.write(json);
        }
    }

    private static void sendError(StaplerResponse2 rsp, int status, String code, String message) throws IOException {
        sendJson(rsp, status, PageJson.error(code, message));
    }
}
