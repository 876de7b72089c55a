package io.voltworkflow.store.postgres;

import static io.voltworkflow.store.postgres.Events.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.LeaseManager;
import io.voltworkflow.core.store.StoreException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionFailureTest {
    private static final WorkflowId WF1 = WorkflowId.of("wf-1");

    @RegisterExtension
    final PostgresSchema db = new PostgresSchema();

    @Test
    void connectionsTheServerEndedAreReplacedWithoutFailingAnything() {
        PostgresWorkflowStore store = db.open();
        LeaseManager leases = store.leases().orElseThrow();
        store.append(log("wf-1", 1, 3)).join();
        leases.tryAcquire(WF1, "a", Duration.ofMinutes(5));

        // What a server restart does to every pooled connection.
        long ended = db.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = 'volt-workflow/" + db.name() + "'");
        assertThat(ended).isPositive();

        store.append(log("wf-1", 4, 6)).join();
        assertThat(store.read(WF1, 0, 10)).isEqualTo(log("wf-1", 1, 6));
        assertThat(leases.renewAll("a", Duration.ofMinutes(5))).isEmpty();
        ReplayRecorder recorder = new ReplayRecorder();
        store.replay(recorder);
        assertThat(recorder.visits).hasSize(6);
    }

    @Test
    void availabilityFollowsTheServerGoingDownAndComingBack() throws IOException {
        URI target = URI.create(PostgresSchema.URL.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort()).start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getRawPath();
            PostgresWorkflowStore store = db.track(PostgresWorkflowStore.open(PostgresStoreOptions.builder(url)
                    .user(PostgresSchema.USER)
                    .password(PostgresSchema.PASSWORD)
                    .schema(db.name())
                    .build()));
            assertThat(store.unavailability()).isEmpty();

            proxy.stop();
            Await.until(
                    "the store notices the server is down",
                    () -> store.unavailability().isPresent());
            assertThat(store.unavailability().orElseThrow())
                    .startsWith("cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:" + proxy.port() + "/")
                    .doesNotContain(PostgresSchema.PASSWORD + "@");

            proxy.start();
            Await.until(
                    "the store notices the server is back",
                    () -> store.unavailability().isEmpty());
            store.append(log("wf-1", 1, 2)).join();
        }
    }

    @Test
    void anUnreachableServerIsNamedWithoutItsCredentials() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PostgresStoreOptions options = PostgresStoreOptions.builder(
                        "jdbc:postgresql://127.0.0.1:" + closedPort + "/volt?password=url-secret")
                .user("volt")
                .password("option-secret")
                .connectTimeout(Duration.ofSeconds(1))
                .build();

        assertThatThrownBy(() -> PostgresWorkflowStore.open(options))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(
                        "cannot open the PostgreSQL store: cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort
                                + "/volt as user 'volt'")
                .hasMessageNotContaining("secret");
        assertThat(options.toString()).doesNotContain("secret");
    }
}
