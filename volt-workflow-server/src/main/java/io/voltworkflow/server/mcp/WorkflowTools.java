package io.voltworkflow.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RepairPolicy;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.EngineCatalog;
import io.voltworkflow.server.internal.Lifecycle;
import io.voltworkflow.server.internal.http.ApiError;
import io.voltworkflow.server.internal.http.ApiHandler;
import io.voltworkflow.server.internal.http.EngineProfileChoice;
import io.voltworkflow.server.internal.http.WorkflowListing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The spec's {@code createWorkflowTool}: the REST API's operations as Model Context Protocol tools (create, start,
 * status, list, pause, resume, cancel, analytics), for an MCP server built with the MCP Java SDK (the server serves
 * them at {@code /mcp}). Results are the JSON of docs/status-json.md, as text and as structured content; refusals
 * are tool errors carrying the API's error code and message, never a stack trace.
 */
public final class WorkflowTools {
    public static final String CREATE = "create_workflow";
    public static final String START = "start_workflow";
    public static final String STATUS = "get_workflow_status";
    public static final String LIST = "list_workflows";
    public static final String ANALYTICS = "get_workflow_analytics";
    public static final String PAUSE = "pause_workflow";
    public static final String RESUME = "resume_workflow";
    public static final String CANCEL = "cancel_workflow";

    private final WorkflowOrchestrator orchestrator;
    private final @Nullable EngineCatalog engines;
    private final Predicate<McpTransportContext> mayChange;

    private WorkflowTools(
            WorkflowOrchestrator orchestrator,
            @Nullable EngineCatalog engines,
            Predicate<McpTransportContext> mayChange) {
        this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        this.engines = engines;
        this.mayChange = Objects.requireNonNull(mayChange, "mayChange");
    }

    /** All tools, every caller allowed to change workflows. */
    public static List<SyncToolSpecification> specifications(WorkflowOrchestrator orchestrator) {
        return specifications(orchestrator, null, context -> true);
    }

    /**
     * All tools; calls that change state are refused unless {@code mayChange} accepts the caller's context.
     * {@code engines} (may be {@code null}) are the profiles {@code create_workflow} may name.
     */
    public static List<SyncToolSpecification> specifications(
            WorkflowOrchestrator orchestrator,
            @Nullable EngineCatalog engines,
            Predicate<McpTransportContext> mayChange) {
        return new WorkflowTools(orchestrator, engines, mayChange).all();
    }

    private List<SyncToolSpecification> all() {
        Map<String, Object> id = Map.of("type", "string", "description", "the workflow id, e.g. wf-6f1c2a");
        return List.of(
                // Not idempotent without a workflowId (each call creates a workflow), so no idempotent hint.
                tool(
                        CREATE,
                        "Create a workflow from a natural-language requirement (analysis, tasks, code, validation) and "
                                + "start it unless start is false. Returns the workflow status; keep its workflowId. Choose workflowId "
                                + "to make a retry safe: the same id and requirement return the existing workflow.",
                        schema(
                                Map.of(
                                        "requirement", Map.of("type", "string", "description", "what to build"),
                                        "projectContext",
                                                Map.of("type", "object", "description", "e.g. {\"language\":\"Java\"}"),
                                        "start",
                                                Map.of(
                                                        "type",
                                                        "boolean",
                                                        "description",
                                                        "start at once (default true)"),
                                        "workflowId",
                                                Map.of(
                                                        "type",
                                                        "string",
                                                        "pattern",
                                                        "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
                                                        "description",
                                                        "the id to give the workflow (default: a fresh one)"),
                                        "engineProfile",
                                                Map.of(
                                                        "type",
                                                        "string",
                                                        "description",
                                                        "an engine profile the server configured (default: its default profile)"),
                                        "maxRepairRounds",
                                                Map.of(
                                                        "type",
                                                        "integer",
                                                        "minimum",
                                                        0,
                                                        "maximum",
                                                        RepairPolicy.MAX_ROUNDS_LIMIT,
                                                        "description",
                                                        "how often a task whose validation failed goes back to code generation with the "
                                                                + "failures (default 2; 0: never)")),
                                List.of("requirement")),
                        false,
                        false,
                        this::create),
                tool(
                        START,
                        "Start a workflow created with start false.",
                        schema(Map.of("workflowId", id), List.of("workflowId")),
                        false,
                        false,
                        args -> orchestrator.startWorkflow(workflowId(args))),
                tool(
                        STATUS,
                        "The current status of a workflow: state, progress, steps with their outputs and errors.",
                        schema(Map.of("workflowId", id), List.of("workflowId")),
                        true,
                        false,
                        args -> orchestrator.getWorkflowStatus(workflowId(args))),
                tool(
                        LIST,
                        "List workflows, newest first, one page at a time; filter by state and label.",
                        schema(
                                Map.of(
                                        "state",
                                                Map.of(
                                                        "type",
                                                        "array",
                                                        "items",
                                                        Map.of(
                                                                "type",
                                                                "string",
                                                                "enum",
                                                                List.of(
                                                                        "created",
                                                                        "initialized",
                                                                        "running",
                                                                        "paused",
                                                                        "completed",
                                                                        "failed",
                                                                        "cancelled")),
                                                        "description",
                                                        "only these states"),
                                        "label",
                                                Map.of(
                                                        "type",
                                                        "string",
                                                        "description",
                                                        "only workflows with this label, as name=value"),
                                        "offset", Map.of("type", "integer", "minimum", 0, "description", "default 0"),
                                        "limit",
                                                Map.of(
                                                        "type",
                                                        "integer",
                                                        "minimum",
                                                        1,
                                                        "maximum",
                                                        WorkflowQuery.MAX_LIMIT,
                                                        "description",
                                                        "default " + WorkflowListing.DEFAULT_PAGE)),
                                List.of()),
                        true,
                        false,
                        this::list),
                tool(
                        ANALYTICS,
                        "System-wide figures: workflows by outcome, average duration, step success rate, retries, "
                                + "repair (tasks that passed first time, after repair, rounds), step latency percentiles by step type.",
                        schema(Map.of(), List.of()),
                        true,
                        false,
                        args -> orchestrator.getWorkflowAnalytics()),
                tool(
                        PAUSE,
                        "Pause a running workflow: no new step starts; running steps finish.",
                        schema(Map.of("workflowId", id), List.of("workflowId")),
                        false,
                        true,
                        args -> Lifecycle.pause(orchestrator, workflowId(args))),
                tool(
                        RESUME,
                        "Resume a paused workflow, or re-run the failed steps of a failed one.",
                        schema(Map.of("workflowId", id), List.of("workflowId")),
                        false,
                        true,
                        args -> orchestrator.resumeWorkflow(workflowId(args))),
                tool(
                        CANCEL,
                        "Cancel a workflow; running steps are interrupted and nothing runs afterwards.",
                        schema(
                                Map.of("workflowId", id, "reason", Map.of("type", "string", "description", "why")),
                                List.of("workflowId")),
                        false,
                        false,
                        args -> orchestrator.cancelWorkflow(
                                workflowId(args), text(args, "reason", "cancelled by an agent"))));
    }

    private WorkflowStatus create(Map<String, Object> args) {
        String requirement = text(args, "requirement");
        if (requirement == null || requirement.isBlank()) {
            throw new ApiError.Failure(ApiError.invalid("requirement", "'requirement' is required"));
        }
        Object context = args.get("projectContext");
        if (context != null && !(context instanceof Map)) {
            throw new ApiError.Failure(ApiError.invalid("projectContext", "'projectContext' must be an object"));
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> projectContext = context == null ? Map.of() : (Map<String, ?>) context;
        WorkflowOptions.Builder options = WorkflowOptions.builder();
        String chosenId = text(args, "workflowId");
        if (chosenId != null) {
            try {
                options.workflowId(WorkflowId.of(chosenId));
            } catch (IllegalArgumentException e) {
                throw new ApiError.Failure(
                        ApiError.invalid(
                                "workflowId",
                                "'workflowId' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit"));
            }
        }
        Object rounds = args.get("maxRepairRounds");
        if (rounds != null) {
            if (!(rounds instanceof Integer n) || n < 0 || n > RepairPolicy.MAX_ROUNDS_LIMIT) {
                throw new ApiError.Failure(ApiError.invalid(
                        "maxRepairRounds",
                        "'maxRepairRounds' must be a whole number from 0 to " + RepairPolicy.MAX_ROUNDS_LIMIT));
            }
            options.maxRepairRounds(n);
        }
        WorkflowOptions chosen =
                EngineProfileChoice.apply(engines, text(args, "engineProfile"), options.build(), "engineProfile");
        WorkflowStatus status = orchestrator.createWorkflow(requirement, projectContext, chosen);
        return Boolean.FALSE.equals(args.get("start")) ? status : Lifecycle.startOnce(orchestrator, status);
    }

    private Object list(Map<String, Object> args) {
        Object states = args.get("state");
        if (states != null
                && !(states instanceof List<?> names && names.stream().allMatch(String.class::isInstance))) {
            throw new ApiError.Failure(ApiError.invalid("state", "'state' must be an array of state names"));
        }
        List<String> stateNames = states == null
                ? List.of()
                : ((List<?>) states).stream().map(String.class::cast).toList();
        int offset = (int) whole(args, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = (int) whole(args, "limit", WorkflowListing.DEFAULT_PAGE, 1, WorkflowQuery.MAX_LIMIT);
        return WorkflowListing.page(
                orchestrator, WorkflowListing.query(stateNames, text(args, "label"), offset, limit));
    }

    private static long whole(Map<String, Object> args, String name, long defaultValue, long min, long max) {
        Object value = args.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number number
                && number.doubleValue() == number.longValue()
                && number.longValue() >= min
                && number.longValue() <= max) {
            return number.longValue();
        }
        throw new ApiError.Failure(
                ApiError.invalid(name, "'" + name + "' must be a whole number between " + min + " and " + max));
    }

    private SyncToolSpecification tool(
            String name,
            String description,
            Map<String, Object> inputSchema,
            boolean readOnly,
            boolean idempotent,
            Function<Map<String, Object>, Object> action) {
        Tool tool = Tool.builder(name, inputSchema)
                .description(description)
                .annotations(
                        new ToolAnnotations(null, readOnly, !readOnly && name.equals(CANCEL), idempotent, false, null))
                .build();
        return new SyncToolSpecification(tool, (context, request) -> call(name, readOnly, action, context, request));
    }

    private CallToolResult call(
            String name,
            boolean readOnly,
            Function<Map<String, Object>, Object> action,
            McpTransportContext context,
            CallToolRequest request) {
        try {
            if (!readOnly && !mayChange.test(context)) {
                throw new ApiError.Failure(ApiError.forbidden("a read-only token cannot change workflows"));
            }
            Object result = action.apply(request.arguments() == null ? Map.of() : request.arguments());
            @SuppressWarnings("unchecked")
            Map<String, Object> structured = WorkflowJson.mapper().convertValue(result, Map.class);
            return CallToolResult.builder()
                    .addTextContent(WorkflowJson.write(result))
                    .structuredContent(structured)
                    .isError(false)
                    .build();
        } catch (RuntimeException e) {
            ApiError error = ApiHandler.toApiError(e, "MCP tool " + name);
            Map<String, Object> structured = new LinkedHashMap<>();
            structured.put("code", error.code());
            structured.put("message", error.message());
            structured.put("field", error.field());
            return CallToolResult.builder()
                    .addTextContent(error.code() + ": " + error.message())
                    .structuredContent(Map.of("error", structured))
                    .isError(true)
                    .build();
        }
    }

    /** The workflow a call names; an id that cannot exist names no workflow (404). */
    private static WorkflowId workflowId(Map<String, Object> args) {
        String raw = text(args, "workflowId");
        if (raw == null) {
            throw new ApiError.Failure(ApiError.invalid("workflowId", "'workflowId' is required"));
        }
        try {
            return WorkflowId.of(raw);
        } catch (IllegalArgumentException e) {
            throw new ApiError.Failure(ApiError.notFound("no workflow with that id"));
        }
    }

    private static String text(Map<String, Object> args, String name, String defaultValue) {
        String text = text(args, name);
        return text == null ? defaultValue : text;
    }

    private static @Nullable String text(Map<String, Object> args, String name) {
        Object value = args.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new ApiError.Failure(ApiError.invalid(name, "'" + name + "' must be a string"));
        }
        return text;
    }

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }
}
