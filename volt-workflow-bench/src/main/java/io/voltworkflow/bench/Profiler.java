package io.voltworkflow.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import one.profiler.AsyncProfiler;
import org.jspecify.annotations.Nullable;

/**
 * Flame graphs of the measured phases ({@code --profile DIR}): a scenario wraps the part of its run that its figures
 * time for our runner (not the baseline, not warm-up) in {@link #profile}, and async-profiler writes one HTML flame
 * graph per phase and event into {@code DIR}, named {@code <scenario>-<scale>-<phase>-<event>.html}. Repeated phases
 * accumulate into one graph. Without {@code --profile} the profiler is {@link #off()} and costs nothing.
 *
 * <p>CPU samples come from perf_events ({@code cpu}, user-space frames only where {@code perf_event_paranoid} is 2);
 * where the kernel refuses them the profiler falls back to {@code itimer}, and each written file's line in the
 * output names the event that was used.
 */
public final class Profiler {
    /**
     * 2,000 samples per CPU-second: enough for the shortest measured phases (tenths of a second), rare enough that
     * the sampler's own CPU stays a small part of the profiled figures.
     */
    private static final String CPU_INTERVAL = "interval=500us";
    /** One sample per 64 KiB allocated: some thousands of samples per measured phase. */
    private static final String ALLOC_INTERVAL = "alloc=64k";
    /** Frames narrower than this share of the samples are left out; it keeps each file a few hundred KB. */
    private static final String MIN_WIDTH = "minwidth=0.1";

    /** What the graph's widths measure. */
    public enum Event {
        CPU,
        ALLOC;

        String fileTag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Profiler OFF = new Profiler(null, null, "", null);

    private final @Nullable Path dir;
    private final @Nullable PrintStream out;
    private final String prefix;
    private final @Nullable Session shared;

    /** The one profiler of the process (async-profiler is a singleton), and what it is recording. */
    private static final class Session {
        private final AsyncProfiler profiler = AsyncProfiler.getInstance();
        private @Nullable String cpuEvent;
        private @Nullable String lastFile;
    }

    private Profiler(@Nullable Path dir, @Nullable PrintStream out, String prefix, @Nullable Session shared) {
        this.dir = dir;
        this.out = out;
        this.prefix = prefix;
        this.shared = shared;
    }

    /** Profiles nothing: {@link #profile} just runs its body. */
    public static Profiler off() {
        return OFF;
    }

    /** Writes flame graphs into {@code dir} (created if missing) and one line per file to {@code out}. */
    public static Profiler into(Path dir, PrintStream out) throws java.io.IOException {
        Files.createDirectories(dir);
        return new Profiler(dir, out, "", new Session());
    }

    /** The same profiler, naming its files after one scenario at one scale. */
    public Profiler forRun(String scenario, int scale) {
        return shared == null ? this : new Profiler(dir, out, scenario + "-" + scale + "-", shared);
    }

    public boolean enabled() {
        return shared != null;
    }

    /**
     * Runs {@code body} under the profiler and (re)writes {@code <scenario>-<scale>-<phase>-<event>.html}; a phase
     * profiled again right after itself adds to the same graph.
     */
    public <T> T profile(String phase, Event event, Callable<T> body) throws Exception {
        Session session = shared;
        Path target = dir;
        PrintStream report = out;
        if (session == null || target == null || report == null) {
            return body.call();
        }
        String fileName = prefix + phase + "-" + event.fileTag() + ".html";
        Path file = target.resolve(fileName);
        String used = start(session, event, fileName.equals(session.lastFile) ? "resume" : "start");
        T result;
        try {
            result = body.call();
        } finally {
            String title = (prefix + phase + " (" + used + ")").replace(',', ' ');
            session.profiler.execute("stop,file=" + file + "," + MIN_WIDTH + ",title=" + title);
            session.lastFile = fileName;
        }
        report.printf("profile: %s (event %s, %d samples so far)%n", file, used, session.profiler.getSamples());
        return result;
    }

    private static String start(Session session, Event event, String command) throws java.io.IOException {
        if (event == Event.ALLOC) {
            session.profiler.execute(command + ",event=alloc," + ALLOC_INTERVAL);
            return "alloc";
        }
        String cpuEvent = session.cpuEvent;
        if (cpuEvent == null) {
            try {
                session.profiler.execute(command + ",event=cpu," + CPU_INTERVAL);
                session.cpuEvent = "cpu";
                return "cpu";
            } catch (IllegalStateException e) {
                // perf_events refused (paranoid setting or seccomp): a timer signal samples the same stacks.
                cpuEvent = "itimer";
                session.cpuEvent = cpuEvent;
            }
        }
        session.profiler.execute(command + ",event=" + cpuEvent + "," + CPU_INTERVAL);
        return cpuEvent;
    }
}
