package io.voltworkflow.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.server.EngineCatalog;
import io.voltworkflow.server.internal.Lifecycle;
import io.voltworkflow.server.internal.http.ApiError;
import io.voltworkflow.server.internal.http.ApiHandler;
import io.voltworkflow.server.internal.http.EngineProfileChoice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The spec's {@code createWorkflowTool}: create, status, pause, resume and cancel as Model Context Protocol tools,
 * for an MCP server built with the MCP Java SDK (the server serves them at {@code /mcp}). Results are the status
 * JSON of docs/status-json.md, as text and as structured content; refusals are tool errors carrying the API's error
 * code and message, never a stack trace.
 */
public final class WorkflowTools {
  public static final String CREATE = "create_workflow";
  public static final String STATUS = "get_workflow_status";
  public static final String PAUSE = "pause_workflow";
  public static final String RESUME = "resume_workflow";
  public static final String CANCEL = "cancel_workflow";

  private final WorkflowOrchestrator orchestrator;
  private final EngineCatalog engines;
  private final Predicate<McpTransportContext> mayChange;

  private WorkflowTools(WorkflowOrchestrator orchestrator, EngineCatalog engines, Predicate<McpTransportContext> mayChange) {
    this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
    this.engines = engines;
    this.mayChange = Objects.requireNonNull(mayChange, "mayChange");
  }

  /** All five tools, every caller allowed to change workflows. */
  public static List<SyncToolSpecification> specifications(WorkflowOrchestrator orchestrator) {
    return specifications(orchestrator, null, context -> true);
  }

  /**
   * All five tools; calls that change state are refused unless {@code mayChange} accepts the caller's context.
   * {@code engines} (may be {@code null}) are the profiles {@code create_workflow} may name.
   */
  public static List<SyncToolSpecification> specifications(WorkflowOrchestrator orchestrator, EngineCatalog engines,
      Predicate<McpTransportContext> mayChange) {
    return new WorkflowTools(orchestrator, engines, mayChange).all();
  }

  private List<SyncToolSpecification> all() {
    Map<String, Object> id = Map.of("type", "string", "description", "the workflow id, e.g. wf-6f1c2a");
    return List.of(
        tool(CREATE, "Create a workflow from a natural-language requirement (analysis, tasks, code, validation) and "
                + "start it unless start is false. Returns the workflow status; keep its workflowId.",
            schema(Map.of(
                "requirement", Map.of("type", "string", "description", "what to build"),
                "projectContext", Map.of("type", "object", "description", "e.g. {\"language\":\"Java\"}"),
                "start", Map.of("type", "boolean", "description", "start at once (default true)"),
                "engineProfile", Map.of("type", "string", "description",
                    "an engine profile the server configured (default: its default profile)")), List.of("requirement")),
            false, true, this::create),
        tool(STATUS, "The current status of a workflow: state, progress, steps with their outputs and errors.",
            schema(Map.of("workflowId", id), List.of("workflowId")), true, false,
            args -> orchestrator.getWorkflowStatus(workflowId(args))),
        tool(PAUSE, "Pause a running workflow: no new step starts; running steps finish.",
            schema(Map.of("workflowId", id), List.of("workflowId")), false, true,
            args -> Lifecycle.pause(orchestrator, workflowId(args))),
        tool(RESUME, "Resume a paused workflow, or re-run the failed steps of a failed one.",
            schema(Map.of("workflowId", id), List.of("workflowId")), false, true,
            args -> orchestrator.resumeWorkflow(workflowId(args))),
        tool(CANCEL, "Cancel a workflow; running steps are interrupted and nothing runs afterwards.",
            schema(Map.of("workflowId", id, "reason", Map.of("type", "string", "description", "why")),
                List.of("workflowId")), false, false,
            args -> orchestrator.cancelWorkflow(workflowId(args), text(args, "reason", "cancelled by an agent"))));
  }

  private WorkflowStatus create(Map<String, Object> args) {
    String requirement = text(args, "requirement", null);
    if (requirement == null || requirement.isBlank()) {
      throw new ApiError.Failure(ApiError.invalid("requirement", "'requirement' is required"));
    }
    Object context = args.get("projectContext");
    if (context != null && !(context instanceof Map)) {
      throw new ApiError.Failure(ApiError.invalid("projectContext", "'projectContext' must be an object"));
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> projectContext = context == null ? Map.of() : (Map<String, ?>) context;
    WorkflowOptions options = EngineProfileChoice.apply(engines, text(args, "engineProfile", null), WorkflowOptions.DEFAULTS,
        "engineProfile");
    WorkflowStatus status = orchestrator.createWorkflow(requirement, projectContext, options);
    if (!Boolean.FALSE.equals(args.get("start"))) {
      status = orchestrator.startWorkflow(status.workflowId());
    }
    return status;
  }

  private SyncToolSpecification tool(String name, String description, Map<String, Object> inputSchema,
      boolean readOnly, boolean idempotent, Function<Map<String, Object>, WorkflowStatus> action) {
    Tool tool = Tool.builder()
        .name(name)
        .description(description)
        .inputSchema(inputSchema)
        .annotations(new ToolAnnotations(null, readOnly, !readOnly && name.equals(CANCEL), idempotent, false, null))
        .build();
    return new SyncToolSpecification(tool, (context, request) -> call(name, readOnly, action, context, request));
  }

  private CallToolResult call(String name, boolean readOnly, Function<Map<String, Object>, WorkflowStatus> action,
      McpTransportContext context, CallToolRequest request) {
    try {
      if (!readOnly && !mayChange.test(context)) {
        throw new ApiError.Failure(ApiError.forbidden("a read-only token cannot change workflows"));
      }
      WorkflowStatus status = action.apply(request.arguments() == null ? Map.of() : request.arguments());
      @SuppressWarnings("unchecked")
      Map<String, Object> structured = WorkflowJson.mapper().convertValue(status, Map.class);
      return CallToolResult.builder()
          .addTextContent(WorkflowJson.write(status))
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

  private static WorkflowId workflowId(Map<String, Object> args) {
    String raw = text(args, "workflowId", null);
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
    Object value = args.get(name);
    if (value == null) {
      return defaultValue;
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
