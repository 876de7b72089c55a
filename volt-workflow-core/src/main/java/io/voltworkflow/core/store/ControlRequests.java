package io.voltworkflow.core.store;

import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Control requests for workflows another instance runs, for stores shared by several instances: the instance a
 * request reaches files it here; the instance holding the workflow's lease takes it, executes it as if it had been
 * asked itself, and records the outcome, which the first instance answers with. Only the lease holder changes a
 * workflow, so a request is never executed by two instances, and never lost: it is answered, or withdrawn by the
 * instance that filed it.
 */
public interface ControlRequests {
    enum Action {
        START,
        PAUSE,
        RESUME,
        CANCEL
    }

    /** A request as the lease holder takes it. */
    record Request(
            long id,
            WorkflowId workflowId,
            Action action,
            @Nullable String reason) {}

    /**
     * How a request ended: applied, or refused; a refusal because of the workflow's state names the transition
     * ({@code from}, {@code to}), any other names only its {@code message}.
     */
    record Outcome(
            boolean applied,
            @Nullable WorkflowState from,
            @Nullable WorkflowState to,
            @Nullable String message) {
        public static Outcome success() {
            return new Outcome(true, null, null, null);
        }
    }

    /** Files a request; returns its id. */
    long submit(WorkflowId workflowId, Action action, @Nullable String reason, String requestedBy);

    /**
     * Takes the open requests for workflows whose live lease {@code owner} holds, oldest first; each is taken once,
     * by one owner.
     */
    List<Request> take(String owner);

    /** Records the outcome of a request {@code take} handed out. */
    void answer(long requestId, Outcome outcome);

    /** The outcome, once answered. */
    Optional<Outcome> outcome(long requestId);

    /** Withdraws a request nobody took; {@code false} when a lease holder took it already. */
    boolean withdraw(long requestId);
}
