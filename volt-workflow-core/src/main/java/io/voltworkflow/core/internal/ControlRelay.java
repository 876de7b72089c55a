package io.voltworkflow.core.internal;

import io.voltworkflow.core.IllegalTransitionException;
import io.voltworkflow.core.WorkflowRunElsewhereException;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.store.ControlRequests;
import io.voltworkflow.core.store.ControlRequests.Action;
import io.voltworkflow.core.store.ControlRequests.Outcome;
import io.voltworkflow.core.store.ControlRequests.Request;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Control requests between instances sharing a store: an instance asked to change a workflow another instance runs
 * files the request ({@link #forward}) and waits for the lease holder's answer; every instance takes the requests
 * for the workflows it holds ({@link #executeTaken}) and executes them as if it had been asked itself. The store's
 * {@link ControlRequests} carries them, so no instance needs to reach another over the network.
 */
final class ControlRelay {
    private static final System.Logger LOG = System.getLogger(ControlRelay.class.getName());
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ControlRequests requests;
    private final String instanceId;
    private final Duration timeout;

    ControlRelay(ControlRequests requests, String instanceId, Duration timeout) {
        this.requests = requests;
        this.instanceId = instanceId;
        this.timeout = timeout;
    }

    /**
     * Files the request and waits for the lease holder to answer it: {@code true} once it applied it (a refusal is
     * raised as the holder's exception); {@code false} when this instance took the workflow over meanwhile (its
     * holder died before taking the request: {@code takeOver} adopts it), so the caller executes the request itself.
     * Without an answer within the bound, the request is withdrawn and the caller is told to retry. Blocks the calling
     * thread (a request handler's); runs outside any workflow lock.
     */
    boolean forward(WorkflowId id, Action action, @Nullable String reason, BooleanSupplier takeOver) {
        long request = requests.submit(id, action, reason, instanceId);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Outcome> outcome = requests.outcome(request);
            if (outcome.isPresent()) {
                raiseRefusal(id, action, outcome.get());
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                requests.withdraw(request);
                throw new WorkflowRunElsewhereException(id);
            }
            if (takeOver.getAsBoolean()) {
                if (requests.withdraw(request)) {
                    return false;
                }
                // Taken before the takeover: answered by then, or its taker died before answering (this instance holds
                // the workflow now, so that one can no longer change it) and the request is executed here.
                Optional<Outcome> answered = requests.outcome(request);
                answered.ifPresent(o -> raiseRefusal(id, action, o));
                return answered.isPresent();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static void raiseRefusal(WorkflowId id, Action action, Outcome outcome) {
        if (outcome.applied()) {
            return;
        }
        WorkflowState from = outcome.from();
        WorkflowState to = outcome.to();
        if (from != null && to != null) {
            throw new IllegalTransitionException(id, from, to, verb(action));
        }
        throw new WorkflowRunElsewhereException(id);
    }

    /**
     * Takes the requests for the workflows this instance holds and executes each with {@code execute}, recording
     * its outcome: applied, refused by the workflow's state, or refused for another reason (the workflow left this
     * instance meanwhile), which tells the requester to retry.
     */
    void executeTaken(Consumer<Request> execute) {
        for (Request request : requests.take(instanceId)) {
            Outcome outcome;
            try {
                execute.accept(request);
                outcome = Outcome.success();
            } catch (IllegalTransitionException e) {
                outcome = new Outcome(false, e.from(), e.to(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "control request " + request.id() + " for workflow " + request.workflowId() + " refused",
                        e);
                outcome = new Outcome(false, null, null, String.valueOf(e.getMessage()));
            }
            requests.answer(request.id(), outcome);
        }
    }

    /** How often an instance takes the requests relayed to it: a third of the lease, at most a second. */
    static Duration pollPeriod(Duration leaseTtl) {
        Duration third = leaseTtl.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(1)) < 0 ? third : Duration.ofSeconds(1);
    }

    static String verb(Action action) {
        return action.name().toLowerCase(java.util.Locale.ROOT);
    }
}
