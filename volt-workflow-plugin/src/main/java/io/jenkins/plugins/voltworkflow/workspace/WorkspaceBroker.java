package io.jenkins.plugins.voltworkflow.workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Brings a validation that must run in a workspace together with a Pipeline step that has one. A step running
 * inside {@code node {}} offers its workspace, for one task (voltValidate) or for every task (voltWorkflow); a
 * validation asks for the workspace of its task and gets the first offer that fits, now or when one is made. An
 * offer ends with the step that made it ({@code node {}} gives the workspace back then).
 */
public final class WorkspaceBroker {

    private static final String ANY_TASK = "";

    private final Map<String, List<CommandRunner>> offers = new LinkedHashMap<>();
    private final Map<String, List<CompletableFuture<CommandRunner>>> waiting = new LinkedHashMap<>();
    private boolean offerExpected;

    /** An offer, withdrawn by {@link #close()}. */
    public interface Offer extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A workspace is on its way: after a controller restart the workflow resumes (and its validations ask for a
     * workspace) as soon as it is opened, a moment before the step resumed inside {@code node {}} lends its workspace
     * again. Until the next offer, a validation waiting for one is not told to look for a {@code node {}}.
     */
    public synchronized void expectOffer() {
        offerExpected = true;
    }

    /** Whether {@link #expectOffer()} announced an offer that has not been made yet. */
    public synchronized boolean offerExpected() {
        return offerExpected;
    }

    /** Offers a workspace for one task, or for every task when {@code task} is {@code null}. */
    public Offer offer(String task, CommandRunner runner) {
        String key = task == null ? ANY_TASK : task;
        List<CompletableFuture<CommandRunner>> served = new ArrayList<>();
        synchronized (this) {
            offerExpected = false;
            offers.computeIfAbsent(key, k -> new ArrayList<>()).add(runner);
            for (Map.Entry<String, List<CompletableFuture<CommandRunner>>> entry : waiting.entrySet()) {
                if (key.equals(ANY_TASK) || key.equals(entry.getKey())) {
                    served.addAll(entry.getValue());
                    entry.getValue().clear();
                }
            }
            waiting.values().removeIf(List::isEmpty);
        }
        served.forEach(future -> future.complete(runner));
        return () -> withdraw(key, runner);
    }

    private synchronized void withdraw(String key, CommandRunner runner) {
        List<CommandRunner> runners = offers.get(key);
        if (runners != null) {
            runners.remove(runner);
            if (runners.isEmpty()) {
                offers.remove(key);
            }
        }
    }

    /**
     * The workspace for a task's validation: an offer for that task first, then one for every task. The future
     * completes when such an offer exists; cancelling it stops waiting.
     */
    public synchronized CompletableFuture<CommandRunner> acquire(String task) {
        Optional<CommandRunner> now = current(task);
        if (now.isPresent()) {
            return CompletableFuture.completedFuture(now.get());
        }
        CompletableFuture<CommandRunner> future = new CompletableFuture<>();
        waiting.computeIfAbsent(task, k -> new ArrayList<>()).add(future);
        future.whenComplete((runner, error) -> {
            if (error != null) {
                forget(task, future);
            }
        });
        return future;
    }

    private synchronized void forget(String task, CompletableFuture<CommandRunner> future) {
        List<CompletableFuture<CommandRunner>> futures = waiting.get(task);
        if (futures != null) {
            futures.remove(future);
            if (futures.isEmpty()) {
                waiting.remove(task);
            }
        }
    }

    /**
     * The workspace lent now for every task (by voltWorkflow inside {@code node {}}, or a Freestyle build), for work
     * of no task in particular such as validating the delivered branch tip; empty when none is lent at this moment.
     * A workspace lent for one task only stays that task's.
     */
    public synchronized Optional<CommandRunner> lentForEveryTask() {
        return current(ANY_TASK);
    }

    private Optional<CommandRunner> current(String task) {
        for (String key : List.of(task, ANY_TASK)) {
            List<CommandRunner> runners = offers.get(key);
            if (runners != null && !runners.isEmpty()) {
                return Optional.of(runners.get(runners.size() - 1));
            }
        }
        return Optional.empty();
    }
}
