package io.voltworkflow.engines.internal;

import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.time.TimeSource;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs a local process for an engine, on the context's blocking executor: the request on stdin (then closed, so
 * tools that wait for more input do not hang), stdout captured up to a limit, stderr lines streamed to progress
 * (scrubbed of secrets). A timeout (on the context's clock) or a cancellation kills the whole process tree, children
 * first collected so that none escapes by being re-parented.
 */
public final class ProcessRunner {
    private static final int MAX_PROGRESS_LINES = 200;
    private static final int TAIL_LINES = 20;
    private static final int MAX_LINE = 500;
    private static final Duration STDERR_DRAIN = Duration.ofSeconds(5);

    private ProcessRunner() {}

    /**
     * What to run. With an {@code outputLog}, stdout and stderr both go to that file (build logs are too big for
     * progress events) and {@link Outcome#stdout()} is empty.
     */
    public record Spec(
            String label,
            List<String> command,
            @Nullable Path directory,
            Map<String, String> environment,
            byte @Nullable [] stdin,
            Duration timeout,
            long maxStdoutBytes,
            @Nullable Path outputLog,
            Redactor redactor) {
        public Spec {
            Objects.requireNonNull(label, "label");
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("a command needs at least the program to run");
            }
            environment = Map.copyOf(environment);
            Objects.requireNonNull(timeout, "timeout");
            redactor = redactor == null ? Redactor.NONE : redactor;
        }
    }

    public record Outcome(int exitCode, String stdout, boolean stdoutTruncated, List<String> stderrTail) {
        public String stderrExcerpt() {
            return String.join(" | ", stderrTail);
        }
    }

    public static CompletionStage<Outcome> run(Spec spec, EngineContext context) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        context.blockingExecutor().execute(() -> {
            try {
                outcome.complete(runBlocking(spec, context));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
        return outcome;
    }

    /** As {@link #run}, on the calling thread, which must be one that may block (the context's blocking executor). */
    public static Outcome runBlocking(Spec spec, EngineContext context) {
        CancellationToken cancellation = context.cancellation();
        if (cancellation.isCancelled()) {
            throw new EngineException(
                    StepError.recoverable(StepError.CANCELLED, spec.label() + " not started: cancelled"));
        }
        Process process = start(spec);
        AtomicReference<StepError> killedFor = new AtomicReference<>();
        TimeSource.Timer timer = context.time()
                .schedule(
                        spec.timeout(),
                        () -> kill(
                                process,
                                killedFor,
                                StepError.retryable(
                                        StepError.TIMEOUT,
                                        spec.label() + " timed out after " + spec.timeout()
                                                + "; its process tree was killed")));
        CancellationToken.Registration registration = cancellation.onCancel(() -> kill(
                process,
                killedFor,
                StepError.recoverable(
                        StepError.CANCELLED,
                        spec.label() + " cancelled"
                                + (cancellation.reason() == null ? "" : " (" + cancellation.reason() + ")")
                                + "; its process tree was killed")));
        try {
            Deque<String> tail = new ArrayDeque<>();
            Thread stderrPump =
                    spec.outputLog() == null ? pumpStderr(spec, process.getErrorStream(), tail, context) : null;
            writeStdin(process, spec.stdin());
            Captured stdout = spec.outputLog() == null
                    ? capture(process.getInputStream(), spec.maxStdoutBytes())
                    : Captured.NOTHING;
            int exitCode = process.waitFor();
            if (stderrPump != null) {
                stderrPump.join(STDERR_DRAIN.toMillis());
            }
            StepError killed = killedFor.get();
            if (killed != null) {
                throw new EngineException(killed);
            }
            synchronized (tail) {
                return new Outcome(exitCode, stdout.text(), stdout.truncated(), List.copyOf(tail));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            StepError interrupted = StepError.recoverable(StepError.CANCELLED, spec.label() + " interrupted");
            kill(process, killedFor, interrupted);
            // A timeout or cancellation that killed the process first is the reason that stands.
            throw new EngineException(Objects.requireNonNullElse(killedFor.get(), interrupted));
        } finally {
            timer.cancel();
            registration.close();
            if (process.isAlive()) {
                killTree(process.toHandle());
            }
        }
    }

    private static Process start(Spec spec) {
        ProcessBuilder builder = new ProcessBuilder(spec.command());
        if (spec.directory() != null) {
            builder.directory(spec.directory().toFile());
        }
        builder.environment().putAll(spec.environment());
        if (spec.outputLog() != null) {
            builder.redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(spec.outputLog().toFile()));
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new EngineException(
                    StepError.recoverable(
                            StepError.ENGINE_ERROR,
                            "cannot start " + spec.label() + " ('"
                                    + spec.command().get(0) + "'): "
                                    + spec.redactor().scrub(Objects.requireNonNullElse(e.getMessage(), e.toString()))),
                    e);
        }
    }

    private static void kill(Process process, AtomicReference<StepError> killedFor, StepError why) {
        if (killedFor.compareAndSet(null, why)) {
            killTree(process.toHandle());
        }
    }

    /** Kills {@code root} and every descendant; the descendants are listed first, while they are still its own. */
    public static void killTree(ProcessHandle root) {
        List<ProcessHandle> descendants = root.descendants().toList();
        root.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static void writeStdin(Process process, byte @Nullable [] stdin) {
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException processClosedItsStdin) {
            // A tool that does not read its input is allowed to; its exit code and output decide.
        }
    }

    private static Thread pumpStderr(Spec spec, InputStream stderr, Deque<String> tail, EngineContext context) {
        Thread pump = new Thread(
                () -> {
                    int lines = 0;
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            String shown = spec.redactor().excerpt(line, MAX_LINE);
                            synchronized (tail) {
                                tail.addLast(shown);
                                if (tail.size() > TAIL_LINES) {
                                    tail.removeFirst();
                                }
                            }
                            if (++lines <= MAX_PROGRESS_LINES && !shown.isEmpty()) {
                                context.progress(spec.label() + ": " + shown);
                            }
                        }
                    } catch (IOException streamClosed) {
                        // The process is gone; what was read is what there is.
                    }
                    if (lines > MAX_PROGRESS_LINES) {
                        context.progress(
                                spec.label() + ": " + (lines - MAX_PROGRESS_LINES) + " more stderr lines not shown");
                    }
                },
                "volt-engine-stderr");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    private static Captured capture(InputStream stdout, long max) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        boolean truncated = false;
        byte[] buffer = new byte[8192];
        try (stdout) {
            for (int read = stdout.read(buffer); read >= 0; read = stdout.read(buffer)) {
                long room = max - captured.size();
                captured.write(buffer, 0, (int) Math.min(read, Math.max(room, 0)));
                truncated |= read > room;
            }
        } catch (IOException streamClosed) {
            // Killed mid-write: the kill reason is reported instead.
        }
        return new Captured(captured.toString(StandardCharsets.UTF_8), truncated);
    }

    private record Captured(String text, boolean truncated) {
        static final Captured NOTHING = new Captured("", false);
    }
}
