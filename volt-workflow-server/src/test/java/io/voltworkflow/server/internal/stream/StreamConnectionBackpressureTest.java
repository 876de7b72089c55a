package io.voltworkflow.server.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.core.time.SystemTimeSource;
import io.voltworkflow.server.internal.http.ServerMetrics;
import io.voltworkflow.server.testing.TestEngines;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that does not read: every frame stays unacknowledged until the test acknowledges it, so the connection's
 * queue overflows for certain. The connection must stop buffering, then catch up from the store once the client
 * reads again, delivering every event once and in order.
 */
class StreamConnectionBackpressureTest {
    private final WorkflowOrchestrator orchestrator = WorkflowOrchestrator.create(
            OrchestratorOptions.builder().engines(new TestEngines(6).engines()).build());

    @AfterEach
    void close() {
        orchestrator.close();
    }

    @Test
    void aStalledClientIsFedFromTheStoreOnceItReadsAgain() throws Exception {
        WorkflowId id = orchestrator
                .createWorkflow("stalled reader", Map.of(), WorkflowOptions.DEFAULTS)
                .workflowId();
        orchestrator.startWorkflow(id);
        long last = orchestrator.awaitTermination(id).get(30, TimeUnit.SECONDS).lastSequence();
        ServerMetrics metrics = new ServerMetrics();
        LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        StreamConnection connection = new StreamConnection(
                orchestrator, id, 0, 2, Runnable::run, new SystemTimeSource(), metrics, closed -> {});

        connection.onWebSocketOpen(session(sent));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (metrics.streamCatchUps() == 0 && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertThat(metrics.streamCatchUps()).as("the queue of 2 overflowed").isPositive();

        List<Long> received = new ArrayList<>();
        while (received.size() < last) {
            Sent frame = sent.poll(30, TimeUnit.SECONDS);
            assertThat(frame).as("frame after " + received).isNotNull();
            received.add(
                    WorkflowJson.mapper().readTree(frame.text()).get("sequence").asLong());
            frame.callback().succeed();
        }
        assertThat(received)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(sent).isEmpty();
        connection.onWebSocketClose(1000, "done", org.eclipse.jetty.websocket.api.Callback.NOOP);
    }

    private static Session session(LinkedBlockingQueue<Sent> sent) {
        return (Session) Proxy.newProxyInstance(
                Session.class.getClassLoader(),
                new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "sendText" -> {
                        sent.add(new Sent((String) args[0], (Callback) args[1]));
                        yield null;
                    }
                    case "isOpen" -> true;
                    default -> null;
                });
    }

    private record Sent(String text, Callback callback) {}
}
