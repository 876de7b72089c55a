package io.voltworkflow.server.internal.http;

import io.voltworkflow.core.WorkflowOrchestrator;
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

  public OperationsHandler(WorkflowOrchestrator orchestrator, ServerMetrics serverMetrics, BooleanSupplier ready) {
    this.metrics = new PrometheusExposition(orchestrator, serverMetrics);
    this.ready = ready;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    switch (path) {
      case "/healthz" -> HttpResponses.json(response, callback, 200, "{\"status\":\"ok\"}");
      case "/readyz" -> {
        if (ready.getAsBoolean()) {
          HttpResponses.json(response, callback, 200, "{\"status\":\"ready\"}");
        } else {
          HttpResponses.json(response, callback, 503, "{\"status\":\"unavailable\"}");
        }
      }
      case "/metrics" -> HttpResponses.write(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
          metrics.render());
      default -> {
        return false;
      }
    }
    return true;
  }
}
