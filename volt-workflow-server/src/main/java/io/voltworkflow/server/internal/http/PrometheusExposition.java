package io.voltworkflow.server.internal.http;

import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.model.StepState;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.DispatchStats;
import io.voltworkflow.core.status.OperationalStats;
import io.voltworkflow.core.status.StepStatus;
import io.voltworkflow.core.status.WorkflowAnalytics;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import io.voltworkflow.core.store.DamageReport;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders {@code /metrics} in the Prometheus text format 0.0.4, named by Prometheus conventions (base units in the
 * name, {@code _total} counters, histograms for durations) because dashboards and alert rules are written against
 * these names (docs/monitoring/). Finished workflows are counted by the orchestrator's analytics; unfinished ones are
 * counted by listing them, which also yields the step queue (steps whose dependencies are done and that wait for a
 * slot or a retry). The core orchestrator adds its operational counters, dispatch queue and event bus backlog, which
 * it exposes for this purpose.
 */
final class PrometheusExposition {
    private static final List<WorkflowState> UNFINISHED_ORDER =
            List.of(WorkflowState.CREATED, WorkflowState.INITIALIZED, WorkflowState.RUNNING, WorkflowState.PAUSED);
    private static final Set<WorkflowState> UNFINISHED = Set.copyOf(UNFINISHED_ORDER);
    private static final List<WorkflowState> FINISHED_ORDER =
            List.of(WorkflowState.COMPLETED, WorkflowState.FAILED, WorkflowState.CANCELLED);

    private final WorkflowOrchestrator orchestrator;
    private final ServerMetrics server;

    PrometheusExposition(WorkflowOrchestrator orchestrator, ServerMetrics server) {
        this.orchestrator = orchestrator;
        this.server = server;
    }

    String render() {
        StringBuilder out = new StringBuilder(4096);
        WorkflowAnalytics analytics = orchestrator.getWorkflowAnalytics();
        Map<WorkflowState, Long> byState = new EnumMap<>(WorkflowState.class);
        Map<StepState, Long> stepsByState = new EnumMap<>(StepState.class);
        long queued = 0;
        for (WorkflowState state : WorkflowState.values()) {
            byState.put(state, 0L);
        }
        for (StepState state : StepState.values()) {
            stepsByState.put(state, 0L);
        }
        byState.put(WorkflowState.COMPLETED, analytics.completedWorkflows());
        byState.put(WorkflowState.FAILED, analytics.failedWorkflows());
        byState.put(WorkflowState.CANCELLED, analytics.cancelledWorkflows());
        for (int offset = 0; ; offset += WorkflowQuery.MAX_LIMIT) {
            List<WorkflowStatus> page = orchestrator.listWorkflows(
                    new WorkflowQuery(UNFINISHED, null, null, offset, WorkflowQuery.MAX_LIMIT));
            for (WorkflowStatus status : page) {
                byState.merge(status.state(), 1L, Long::sum);
                for (StepStatus step : status.steps()) {
                    stepsByState.merge(step.state(), 1L, Long::sum);
                }
                if (status.state() == WorkflowState.RUNNING) {
                    queued += queuedSteps(status);
                }
            }
            if (page.size() < WorkflowQuery.MAX_LIMIT) {
                break;
            }
        }

        header(out, "volt_workflows", "gauge", "Unfinished workflows by state.");
        UNFINISHED_ORDER.forEach(
                state -> sample(out, "volt_workflows", "state", state.wireName(), byState.getOrDefault(state, 0L)));
        header(out, "volt_workflows_finished_total", "counter", "Workflows that finished, by final state.");
        FINISHED_ORDER.forEach(state -> sample(
                out, "volt_workflows_finished_total", "state", state.wireName(), byState.getOrDefault(state, 0L)));
        header(
                out,
                "volt_workflows_created_total",
                "counter",
                "Workflows known since the orchestrator opened its store.");
        out.append("volt_workflows_created_total ")
                .append(analytics.totalWorkflows())
                .append('\n');
        header(out, "volt_steps", "gauge", "Steps of unfinished workflows by state.");
        stepsByState.forEach((state, count) -> sample(out, "volt_steps", "state", state.wireName(), count));
        header(
                out,
                "volt_step_queue_depth",
                "gauge",
                "Steps of running workflows that are ready (dependencies done) but not yet running.");
        out.append("volt_step_queue_depth ").append(queued).append('\n');
        header(out, "volt_step_retries_total", "counter", "Step attempts that were retried.");
        out.append("volt_step_retries_total ").append(analytics.retries()).append('\n');

        OperationalStats operations = orchestrator.operationalStats();
        header(out, "volt_step_attempts_total", "counter", "Finished step attempts by step type and outcome.");
        operations.stepTypes().forEach((type, stats) -> {
            String labels = "type=\"" + escape(type) + "\",outcome=";
            out.append("volt_step_attempts_total{")
                    .append(labels)
                    .append("\"success\"} ")
                    .append(stats.succeeded())
                    .append('\n');
            out.append("volt_step_attempts_total{")
                    .append(labels)
                    .append("\"failure\"} ")
                    .append(stats.failed())
                    .append('\n');
        });
        header(out, "volt_step_duration_seconds", "histogram", "Durations of finished step attempts by step type.");
        operations
                .stepTypes()
                .forEach((type, stats) -> histogram(
                        out,
                        "volt_step_duration_seconds",
                        "type=\"" + escape(type) + "\",",
                        OperationalStats.DURATION_BUCKETS_SECONDS,
                        stats.durationBuckets(),
                        stats.durationSumMs() / 1000.0));
        header(out, "volt_engine_tokens_total", "counter", "Tokens engines reported spending, by direction.");
        sample(
                out,
                "volt_engine_tokens_total",
                "direction",
                "input",
                operations.usage().inputTokens());
        sample(
                out,
                "volt_engine_tokens_total",
                "direction",
                "output",
                operations.usage().outputTokens());
        header(out, "volt_engine_cost_usd_total", "counter", "Cost engines reported, in US dollars.");
        out.append("volt_engine_cost_usd_total ")
                .append(format(operations.usage().costUsd()))
                .append('\n');
        header(
                out,
                "volt_workflow_budget_used_max_ratio",
                "gauge",
                "The highest share of its budget an unfinished workflow has spent (0 when none has a budget).");
        out.append("volt_workflow_budget_used_max_ratio ")
                .append(format(operations.maxBudgetUsedRatio()))
                .append('\n');
        header(
                out,
                "volt_running_workflow_idle_max_seconds",
                "gauge",
                "The longest time a running workflow has gone without an event (0 when none runs).");
        out.append("volt_running_workflow_idle_max_seconds ")
                .append(format(operations.longestRunningIdle().toMillis() / 1000.0))
                .append('\n');

        DispatchStats dispatch = orchestrator.dispatchStats();
        header(out, "volt_dispatch_queue_depth", "gauge", "Ready steps waiting for a free slot, across all workflows.");
        out.append("volt_dispatch_queue_depth ").append(dispatch.readySteps()).append('\n');
        header(out, "volt_running_steps", "gauge", "Steps running now, across all workflows.");
        out.append("volt_running_steps ").append(dispatch.runningSteps()).append('\n');
        header(out, "volt_event_bus_backlog", "gauge", "Events queued for listeners that have not taken them yet.");
        out.append("volt_event_bus_backlog ").append(dispatch.eventBacklog()).append('\n');
        header(out, "volt_stream_connections", "gauge", "Open WebSocket event streams.");
        out.append("volt_stream_connections ")
                .append(server.streamConnections())
                .append('\n');
        header(out, "volt_stream_queue_depth", "gauge", "Events buffered for WebSocket clients.");
        out.append("volt_stream_queue_depth ").append(server.streamQueueDepth()).append('\n');
        header(out, "volt_stream_events_sent_total", "counter", "Events sent to WebSocket clients.");
        out.append("volt_stream_events_sent_total ")
                .append(server.streamEventsSent())
                .append('\n');
        header(
                out,
                "volt_stream_store_catchups_total",
                "counter",
                "Times a slow WebSocket client overflowed its queue and was fed from the store.");
        out.append("volt_stream_store_catchups_total ")
                .append(server.streamCatchUps())
                .append('\n');
        header(out, "volt_event_lag_seconds", "histogram", "Time from an event to its delivery to a WebSocket client.");
        histogram(
                out,
                "volt_event_lag_seconds",
                "",
                ServerMetrics.LAG_BUCKETS,
                server.lagBuckets(),
                server.lagSumSeconds());

        header(out, "volt_store_up", "gauge", "1 while the workflow store is reachable, 0 while it is not.");
        out.append("volt_store_up ")
                .append(orchestrator.storeUnavailability().isEmpty() ? 1 : 0)
                .append('\n');
        header(
                out,
                "volt_store_append_failures_total",
                "counter",
                "Batches of events the store refused; each took its workflows offline.");
        out.append("volt_store_append_failures_total ")
                .append(operations.storeAppendFailures())
                .append('\n');
        DamageReport damage = orchestrator.storeDamage();
        header(
                out,
                "volt_store_damaged_workflows",
                "gauge",
                "Workflows whose events the store lost to damaged storage, by whether an operator acknowledged it.");
        long unacknowledged = damage.unacknowledgedWorkflows();
        sample(out, "volt_store_damaged_workflows", "acknowledged", "false", unacknowledged);
        sample(
                out,
                "volt_store_damaged_workflows",
                "acknowledged",
                "true",
                damage.workflows().size() - unacknowledged);
        header(
                out,
                "volt_store_unreadable_bytes",
                "gauge",
                "Bytes of the store's files found unreadable, by whether an operator acknowledged them.");
        sample(out, "volt_store_unreadable_bytes", "acknowledged", "false", damage.unacknowledgedSkippedBytes());
        sample(
                out,
                "volt_store_unreadable_bytes",
                "acknowledged",
                "true",
                damage.skippedBytes() - damage.unacknowledgedSkippedBytes());
        return out.toString();
    }

    private static long queuedSteps(WorkflowStatus status) {
        Map<String, StepState> states = new TreeMap<>();
        status.steps().forEach(s -> states.put(s.name(), s.state()));
        return status.steps().stream()
                .filter(s -> s.state() == StepState.PENDING || s.state() == StepState.RETRY_WAIT)
                .filter(s -> s.dependencies().stream().allMatch(d -> states.get(d) == StepState.COMPLETED))
                .count();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String label, String value, long count) {
        out.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(value)
                .append("\"} ")
                .append(count)
                .append('\n');
    }

    /**
     * One histogram's series: {@code counts} holds the observations per bucket of {@code bounds} (not cumulative) and
     * a last entry for those above the highest bound. {@code labels} is empty or ends with a comma.
     */
    private static void histogram(
            StringBuilder out, String name, String labels, List<Double> bounds, List<Long> counts, double sumSeconds) {
        long cumulative = 0;
        for (int i = 0; i < bounds.size(); i++) {
            cumulative += counts.get(i);
            out.append(name)
                    .append("_bucket{")
                    .append(labels)
                    .append("le=\"")
                    .append(format(bounds.get(i)))
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        cumulative += counts.get(bounds.size());
        out.append(name)
                .append("_bucket{")
                .append(labels)
                .append("le=\"+Inf\"} ")
                .append(cumulative)
                .append('\n');
        String plain = labels.isEmpty() ? "" : "{" + labels.substring(0, labels.length() - 1) + "}";
        out.append(name)
                .append("_sum")
                .append(plain)
                .append(' ')
                .append(format(sumSeconds))
                .append('\n');
        out.append(name)
                .append("_count")
                .append(plain)
                .append(' ')
                .append(cumulative)
                .append('\n');
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
