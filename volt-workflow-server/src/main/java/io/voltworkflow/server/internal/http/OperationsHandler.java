package io.voltworkflow.server.internal.http;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.store.DamageReport;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (it accepts work: 503 while starting or shutting down, or
 * while its store is unreachable) and
 * {@code /metrics} (Prometheus).
 */
public final class OperationsHandler extends Handler.Abstract {
    private final PrometheusExposition metrics;
    private final BooleanSupplier ready;
    private final WorkflowOrchestrator orchestrator;

    public OperationsHandler(WorkflowOrchestrator orchestrator, ServerMetrics serverMetrics, BooleanSupplier ready) {
        this.metrics = new PrometheusExposition(orchestrator, serverMetrics);
        this.ready = ready;
        this.orchestrator = orchestrator;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/healthz" -> HttpResponses.json(response, callback, 200, body("ok"));
            case "/readyz" -> {
                if (ready.getAsBoolean()) {
                    HttpResponses.json(response, callback, 200, body("ready"));
                } else {
                    HttpResponses.json(response, callback, 503, "{\"status\":\"unavailable\"}");
                }
            }
            case "/metrics" ->
                HttpResponses.write(
                        response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The status, and the store's damage while an operator has not acknowledged it: the server keeps serving (the
     * damaged workflows say so themselves), but a probe or a dashboard sees it.
     */
    private String body(String status) {
        DamageReport damage = orchestrator.storeDamage();
        if (!damage.unacknowledged()) {
            return "{\"status\":\"" + status + "\"}";
        }
        return "{\"status\":\"" + status + "\",\"storeDamage\":{\"damagedWorkflows\":"
                + damage.unacknowledgedWorkflows() + ",\"unreadableBytes\":" + damage.unacknowledgedSkippedBytes()
                + ",\"acknowledged\":false}}";
    }
}
