package io.voltworkflow.server.internal.http;

import io.voltworkflow.core.DuplicateWorkflowException;
import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.WorkflowNotFoundException;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.WorkflowRunElsewhereException;
import io.voltworkflow.core.model.InvalidWorkflowException;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowProblem;
import io.voltworkflow.core.store.StoreException;
import io.voltworkflow.server.internal.http.WorkflowApi.ApiResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code /api/v1/**} and turns every outcome into JSON: results, refusals in the {@link ApiError} shape, and
 * unexpected failures as a 500 that points to an incident id in the log instead of leaking the exception.
 */
public final class ApiHandler extends Handler.Abstract {
    public static final String PREFIX = "/api/v1";
    static final String OPENAPI_RESOURCE = "io/voltworkflow/server/openapi.yaml";
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final WorkflowApi api;
    private final WebhookApi webhooks;
    private final int maxRequestBytes;
    private final byte[] openApi;

    /** {@code webhooks}: {@code null} when the host sends none. */
    public ApiHandler(
            WorkflowOrchestrator orchestrator,
            io.voltworkflow.server.@Nullable EngineCatalog engines,
            io.voltworkflow.server.webhooks.@Nullable Webhooks webhooks,
            int maxRequestBytes) {
        this.api = new WorkflowApi(orchestrator, engines);
        this.webhooks = new WebhookApi(webhooks);
        this.maxRequestBytes = maxRequestBytes;
        this.openApi = loadOpenApi();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return false;
        }
        List<String> segments = Arrays.stream(path.substring(PREFIX.length()).split("/"))
                .filter(s -> !s.isEmpty())
                .toList();
        try {
            if (segments.equals(List.of("openapi.yaml"))) {
                requireMethod(request.getMethod(), "GET");
                new ApiRequest(request, segments, maxRequestBytes).requireOnlyQuery();
                HttpResponses.write(response, callback, 200, "application/yaml; charset=utf-8", openApi);
                return true;
            }
            ApiResult result = route(new ApiRequest(request, segments, maxRequestBytes));
            if (result.location() != null) {
                response.getHeaders().put(HttpHeader.LOCATION, result.location());
            }
            HttpResponses.json(response, callback, result.status(), result.body());
        } catch (RuntimeException e) {
            if (e instanceof ApiError.Failure failure
                    && !failure.allowedMethods().isEmpty()) {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", failure.allowedMethods()));
            }
            HttpResponses.error(
                    response, callback, toApiError(e, request.getMethod() + " " + Request.getPathInContext(request)));
        }
        return true;
    }

    private ApiResult route(ApiRequest request) {
        List<String> s = request.segments();
        if (s.equals(List.of("workflows"))) {
            if (requireMethod(request.method(), "GET", "POST").equals("GET")) {
                request.requireOnlyQuery("state", "label", "offset", "limit");
                return api.list(request);
            }
            request.requireOnlyQuery();
            return api.create(request);
        }
        if (!s.isEmpty() && s.get(0).equals("webhooks")) {
            return routeWebhooks(request, s);
        }
        if (s.equals(List.of("engines"))) {
            requireMethod(request.method(), "GET");
            request.requireOnlyQuery();
            return api.engines();
        }
        if (s.equals(List.of("admin", "reload"))) {
            requireMethod(request.method(), "POST");
            request.requireOnlyQuery();
            return api.reload();
        }
        if (s.equals(List.of("analytics"))) {
            requireMethod(request.method(), "GET");
            request.requireOnlyQuery();
            return api.analytics();
        }
        if (s.size() == 2 && s.get(0).equals("workflows")) {
            requireMethod(request.method(), "GET");
            request.requireOnlyQuery();
            return api.status(workflowId(s.get(1)));
        }
        if (s.size() == 3 && s.get(0).equals("workflows")) {
            String action = s.get(2);
            switch (action) {
                case "status", "metrics", "patches" -> {
                    requireMethod(request.method(), "GET");
                    request.requireOnlyQuery();
                }
                case "events" -> {
                    requireMethod(request.method(), "GET");
                    request.requireOnlyQuery("after", "limit");
                }
                case "stream" -> {
                    requireMethod(request.method(), "GET");
                    request.requireOnlyQuery("after", "access_token");
                }
                case "start", "pause", "resume", "cancel" -> {
                    requireMethod(request.method(), "POST");
                    request.requireOnlyQuery();
                }
                default -> throw notFound();
            }
            WorkflowId id = workflowId(s.get(1));
            return switch (action) {
                case "status" -> api.status(id);
                case "events" -> api.events(id, request);
                case "metrics" -> api.metrics(id);
                case "patches" -> api.patches(id);
                case "start" -> api.start(id);
                case "pause" -> api.pause(id);
                case "resume" -> api.resume(id);
                case "cancel" -> api.cancel(id, request);
                default ->
                    throw new ApiError.Failure(
                            ApiError.invalid(null, "the event stream is a WebSocket: connect with an Upgrade request"));
            };
        }
        throw notFound();
    }

    private ApiResult routeWebhooks(ApiRequest request, List<String> s) {
        if (s.size() == 1) {
            if (requireMethod(request.method(), "GET", "POST").equals("GET")) {
                request.requireOnlyQuery();
                return webhooks.list();
            }
            request.requireOnlyQuery();
            return webhooks.create(request);
        }
        if (s.size() == 2) {
            request.requireOnlyQuery();
            return requireMethod(request.method(), "GET", "DELETE").equals("GET")
                    ? webhooks.get(s.get(1))
                    : webhooks.delete(s.get(1));
        }
        if (s.size() == 3 && s.get(2).equals("deliveries")) {
            requireMethod(request.method(), "GET");
            request.requireOnlyQuery("state", "limit");
            return webhooks.deliveries(s.get(1), request);
        }
        if (s.size() == 5 && s.get(2).equals("deliveries") && s.get(4).equals("redeliver")) {
            requireMethod(request.method(), "POST");
            request.requireOnlyQuery();
            return webhooks.redeliver(s.get(1), s.get(3));
        }
        throw notFound();
    }

    private static WorkflowId workflowId(String raw) {
        try {
            return new WorkflowId(raw);
        } catch (IllegalArgumentException e) {
            throw new ApiError.Failure(ApiError.invalid(
                    "id", "a workflow id is 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
    }

    private static ApiError.Failure notFound() {
        return new ApiError.Failure(ApiError.notFound("no such endpoint; see /api/v1/openapi.yaml"));
    }

    private static String requireMethod(String method, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(method)) {
                return method;
            }
        }
        throw ApiError.methodNotAllowed(method, List.of(allowed));
    }

    /** The refusal for any failure; unexpected ones are logged under an incident id, described by {@code call}. */
    public static ApiError toApiError(RuntimeException e, String call) {
        if (e instanceof ApiError.Failure failure) {
            return failure.error();
        }
        if (e instanceof WorkflowNotFoundException) {
            return ApiError.notFound(ApiError.messageOf(e));
        }
        if (e instanceof DuplicateWorkflowException) {
            return new ApiError(409, ApiError.WORKFLOW_EXISTS, ApiError.messageOf(e), "options.workflowId");
        }
        if (e instanceof WorkflowRunElsewhereException) {
            return new ApiError(503, ApiError.UNAVAILABLE, ApiError.messageOf(e), null);
        }
        if (e instanceof IllegalTransitionException) {
            return new ApiError(409, ApiError.ILLEGAL_TRANSITION, ApiError.messageOf(e), null);
        }
        if (e instanceof InvalidWorkflowException invalid) {
            return ApiError.invalid(
                    fieldOf(invalid.problems()),
                    invalid.problems().stream().map(WorkflowProblem::toString).collect(Collectors.joining("; ")));
        }
        String incident = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        if (e instanceof StoreException) {
            LOG.error("incident {}: store failure on {}", incident, call, e);
            return new ApiError(
                    503, ApiError.UNAVAILABLE, "the workflow store is unavailable; incident " + incident, null);
        }
        LOG.error("incident {}: {} failed", incident, call, e);
        return ApiError.internal(incident);
    }

    private static @Nullable String fieldOf(List<WorkflowProblem> problems) {
        for (WorkflowProblem problem : problems) {
            String field =
                    switch (problem.code()) {
                        case WorkflowProblem.EMPTY_REQUIREMENT, WorkflowProblem.REQUIREMENT_TOO_LONG -> "requirement";
                        case WorkflowProblem.CONTEXT_TOO_LARGE -> "projectContext";
                        default -> null;
                    };
            if (field != null) {
                return field;
            }
        }
        return null;
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = ApiHandler.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
