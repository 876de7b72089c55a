package io.voltworkflow.server.internal.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.status.PatchHistory;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.server.EngineCatalog;
import io.voltworkflow.server.internal.Lifecycle;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The REST operations of {@code /api/v1}, in terms of the orchestrator; the JSON shape is core's. */
final class WorkflowApi {
    static final int DEFAULT_EVENT_PAGE = 500;
    static final int MAX_EVENT_PAGE = 1000;
    static final int MAX_REASON_LENGTH = 1000;

    private static final ObjectMapper JSON = WorkflowJson.mapper();
    private static final TypeReference<Map<String, Object>> PROJECT_CONTEXT = new TypeReference<>() {};
    private final WorkflowOrchestrator orchestrator;
    private final @Nullable EngineCatalog engines;

    WorkflowApi(WorkflowOrchestrator orchestrator, @Nullable EngineCatalog engines) {
        this.orchestrator = orchestrator;
        this.engines = engines;
    }

    /** {@code GET /api/v1/engines}: every configured engine checked with one minimal request. */
    ApiResult engines() {
        return ApiResult.ok(WorkflowJson.write(requireEngines().check()));
    }

    /** {@code POST /api/v1/admin/reload}: the configuration read again; running workflows keep running. */
    ApiResult reload() {
        EngineCatalog catalog = requireEngines();
        try {
            String summary = catalog.reload();
            return ApiResult.ok(WorkflowJson.write(JSON.createObjectNode()
                    .put("reloaded", true)
                    .put("message", summary)
                    .put("defaultProfile", catalog.defaultProfile())));
        } catch (IllegalArgumentException e) {
            // The request is fine; the file is not: a conflict with the server's state, not a bad request.
            throw new ApiError.Failure(new ApiError(
                    409,
                    ApiError.INVALID_CONFIGURATION,
                    "configuration not reloaded, the engines in use are kept: " + e.getMessage(),
                    null));
        }
    }

    private EngineCatalog requireEngines() {
        if (engines == null) {
            throw new ApiError.Failure(
                    ApiError.notFound("this server's engines are fixed by its host; it has no engine configuration"));
        }
        return engines;
    }

    ApiResult create(ApiRequest request) {
        JsonNode body = request.body();
        if (body.isMissingNode()) {
            throw new ApiError.Failure(ApiError.invalid("requirement", "a JSON body with 'requirement' is required"));
        }
        CreateWorkflowRequest create = CreateWorkflowRequest.parse(body);
        // Fail at once during a known outage rather than after the store's connect timeout.
        orchestrator.storeUnavailability().ifPresent(why -> {
            throw new StoreException("cannot create a workflow: " + why);
        });
        WorkflowOptions options =
                EngineProfileChoice.apply(engines, create.engineProfile(), create.options(), "options.engineProfile");
        boolean existed = options.workflowId().map(this::exists).orElse(false);
        WorkflowStatus status = orchestrator.createWorkflow(
                create.requirement(), JSON.convertValue(create.projectContext(), PROJECT_CONTEXT), options);
        if (create.start()) {
            status = Lifecycle.startOnce(orchestrator, status);
        }
        String json = WorkflowJson.write(status);
        return existed ? ApiResult.ok(json) : ApiResult.created(json, statusPath(status.workflowId()));
    }

    /**
     * Whether a retried create finds its workflow: then the answer is 200 with its current state instead of 201 (the
     * orchestrator checks that the definition is the same).
     */
    private boolean exists(WorkflowId id) {
        try {
            orchestrator.getWorkflowStatus(id);
            return true;
        } catch (WorkflowNotFoundException e) {
            return false;
        }
    }

    ApiResult list(ApiRequest request) {
        int offset = (int) request.queryLong("offset", 0, 0, Integer.MAX_VALUE);
        int limit = (int) request.queryLong("limit", WorkflowListing.DEFAULT_PAGE, 1, WorkflowQuery.MAX_LIMIT);
        WorkflowQuery query =
                WorkflowListing.query(request.queryValues("state"), request.queryValue("label"), offset, limit);
        return ApiResult.ok(WorkflowListing.page(orchestrator, query).toString());
    }

    ApiResult status(WorkflowId id) {
        return ApiResult.ok(WorkflowJson.write(orchestrator.getWorkflowStatus(id)));
    }

    ApiResult start(WorkflowId id) {
        return ApiResult.ok(WorkflowJson.write(orchestrator.startWorkflow(id)));
    }

    /** Returns once dispatching stopped; steps already running finish in the background. */
    ApiResult pause(WorkflowId id) {
        return ApiResult.ok(WorkflowJson.write(Lifecycle.pause(orchestrator, id)));
    }

    ApiResult resume(WorkflowId id) {
        return ApiResult.ok(WorkflowJson.write(orchestrator.resumeWorkflow(id)));
    }

    ApiResult cancel(WorkflowId id, ApiRequest request) {
        String reason = "cancelled through the API";
        JsonNode body = request.body();
        if (!body.isMissingNode()) {
            String given = JsonFields.of(body, "", Set.of("reason")).string("reason");
            if (given != null) {
                // Characters as JSON Schema counts them (code points), so the spec's maxLength is the rule.
                if (given.codePointCount(0, given.length()) > MAX_REASON_LENGTH) {
                    throw new ApiError.Failure(ApiError.invalid(
                            "reason", "'reason' must be at most " + MAX_REASON_LENGTH + " characters"));
                }
                if (!given.isBlank()) {
                    reason = given;
                }
            }
        }
        return ApiResult.ok(WorkflowJson.write(orchestrator.cancelWorkflow(id, reason)));
    }

    ApiResult events(WorkflowId id, ApiRequest request) {
        long after = request.queryLong("after", 0, 0, Long.MAX_VALUE);
        int limit = (int) request.queryLong("limit", DEFAULT_EVENT_PAGE, 1, MAX_EVENT_PAGE);
        long lastSequence = orchestrator.getWorkflowStatus(id).lastSequence();
        List<EventRecord> events = orchestrator.events(id, after, limit);
        if (!events.isEmpty()) {
            lastSequence = Math.max(lastSequence, events.get(events.size() - 1).sequence());
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("events", JSON.valueToTree(events));
        body.put("lastSequence", lastSequence);
        return ApiResult.ok(body.toString());
    }

    ApiResult metrics(WorkflowId id) {
        return ApiResult.ok(WorkflowJson.write(orchestrator.getWorkflowMetrics(id)));
    }

    /** {@code GET /api/v1/workflows/{id}/patches}: every generated patch, each repair round's, with its provenance. */
    ApiResult patches(WorkflowId id) {
        return ApiResult.ok(PatchHistory.of(
                        id,
                        PatchHistory.codegenSteps(orchestrator.getWorkflowStatus(id)),
                        (after, limit) -> orchestrator.events(id, after, limit))
                .toString());
    }

    ApiResult analytics() {
        return ApiResult.ok(WorkflowJson.write(orchestrator.getWorkflowAnalytics()));
    }

    static String statusPath(WorkflowId id) {
        return "/api/v1/workflows/" + id.value() + "/status";
    }

    /** A successful response: status, JSON body and, for a creation, its location. */
    record ApiResult(int status, String body, @Nullable String location) {
        static ApiResult ok(String body) {
            return new ApiResult(200, body, null);
        }

        static ApiResult created(String body, String location) {
            return new ApiResult(201, body, location);
        }
    }
}
