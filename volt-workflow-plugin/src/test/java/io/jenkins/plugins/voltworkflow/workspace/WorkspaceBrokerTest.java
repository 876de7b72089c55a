package io.jenkins.plugins.voltworkflow.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WorkspaceBrokerTest {

    private final WorkspaceBroker broker = new WorkspaceBroker();
    private final CommandRunner forEveryTask = new ProcessCommandRunner(Path.of("/ws/all"));
    private final CommandRunner forLogin = new ProcessCommandRunner(Path.of("/ws/login"));

    @Test
    void aTasksOwnWorkspaceWinsOverOneForEveryTask() {
        broker.offer(null, forEveryTask);
        broker.offer("login", forLogin);

        assertThat(broker.acquire("login")).isCompletedWithValue(forLogin);
        assertThat(broker.acquire("tokens")).isCompletedWithValue(forEveryTask);
    }

    @Test
    void aValidationWaitsUntilAFittingWorkspaceIsOffered() {
        CompletableFuture<CommandRunner> login = broker.acquire("login");
        CompletableFuture<CommandRunner> tokens = broker.acquire("tokens");

        broker.offer("login", forLogin);

        assertThat(login).isCompletedWithValue(forLogin);
        assertThat(tokens).isNotDone();
        broker.offer(null, forEveryTask);
        assertThat(tokens).isCompletedWithValue(forEveryTask);
    }

    @Test
    void aWithdrawnOfferIsNoLongerHandedOut() {
        WorkspaceBroker.Offer offer = broker.offer("login", forLogin);
        offer.close();

        assertThat(broker.acquire("login")).isNotDone();
    }

    @Test
    void aCancelledWaitIsForgotten() {
        CompletableFuture<CommandRunner> waiting = broker.acquire("login");
        waiting.cancel(false);

        broker.offer("login", forLogin);

        assertThat(waiting).isCancelled();
        assertThat(broker.acquire("login")).isCompletedWithValue(forLogin);
    }
}
