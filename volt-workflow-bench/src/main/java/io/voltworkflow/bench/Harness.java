package io.voltworkflow.bench;

import io.voltworkflow.bench.cost.StepCostScenario;
import io.voltworkflow.bench.disk.DiskScenario;
import io.voltworkflow.bench.events.InProcessEventsScenario;
import io.voltworkflow.bench.events.WebSocketEventsScenario;
import io.voltworkflow.bench.http.HttpAdapterScenario;
import io.voltworkflow.bench.memory.MemoryScenario;
import io.voltworkflow.bench.overhead.InProcessOverheadScenario;
import io.voltworkflow.bench.postgres.PostgresScenario;
import io.voltworkflow.bench.recovery.RecoveryScenario;
import io.voltworkflow.bench.schedule.ScheduleQualityScenario;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The macro harness: {@code java -jar volt-workflow-bench.jar <scenario|all|list> [--scale 1,10,100,1000] [--quick]
 * [--dir DIR] [--out FILE] [--profile DIR]}. Prints every figure next to its same-run baseline as a Markdown table.
 */
public final class Harness {
    private static final String USAGE = "usage: java -jar volt-workflow-bench.jar <scenario|all|list>"
            + " [--scale 1|10|100|1000[,...]] [--quick] [--dir DIR] [--out FILE] [--profile DIR]";

    private Harness() {}

    public static void main(String[] args) throws Exception {
        try {
            run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
        // Scenario resources are closed; non-daemon threads of third-party clients must not keep the JVM up.
        System.exit(0);
    }

    /** Runs the request and prints the report to {@code out}; returns the figures (for the smoke test). */
    public static List<Figure> run(String[] args, PrintStream out) throws Exception {
        Request request = Request.parse(args);
        Map<String, Scenario> scenarios = Scenarios.byName();
        if (request.scenario().equals("list")) {
            scenarios
                    .values()
                    .forEach(s -> out.printf("%-12s %s (max scale %d)%n", s.name(), s.summary(), s.maxScale()));
            return List.of();
        }
        List<Scenario> selected = new ArrayList<>();
        if (request.scenario().equals("all")) {
            selected.addAll(scenarios.values());
        } else {
            Scenario scenario = scenarios.get(request.scenario());
            if (scenario == null) {
                throw new IllegalArgumentException(
                        "unknown scenario '" + request.scenario() + "'; known: " + scenarios.keySet());
            }
            selected.add(scenario);
        }
        Path workDir = request.dir() != null ? request.dir() : Files.createTempDirectory("volt-bench-");
        Path profileDir = request.profile();
        Profiler profiler = profileDir != null ? Profiler.into(profileDir, out) : Profiler.off();
        List<Figure> figures = new ArrayList<>();
        for (Scenario scenario : selected) {
            TreeSet<Integer> effectiveScales = new TreeSet<>();
            for (int requested : request.scales()) {
                int effective = Math.min(requested, scenario.maxScale());
                if (effective != requested) {
                    out.printf("%s: scale %d capped at %d%n", scenario.name(), requested, effective);
                }
                effectiveScales.add(effective);
            }
            for (int scale : effectiveScales) {
                out.printf("%s: running at scale %d%s%n", scenario.name(), scale, request.quick() ? " (quick)" : "");
                Path scenarioDir = Files.createDirectories(workDir.resolve(scenario.name() + "-" + scale));
                try {
                    List<Figure> measured = scenario.run(new RunSettings(
                            scale, request.quick(), scenarioDir, profiler.forRun(scenario.name(), scale)));
                    Report.printRows(out, measured);
                    figures.addAll(measured);
                } catch (Exception e) {
                    // One broken scenario must not cost the figures of the others; it reports no figure, which the
                    // smoke
                    // test catches.
                    out.printf("%s at scale %d FAILED: %s%n", scenario.name(), scale, e);
                    e.printStackTrace(out);
                } finally {
                    deleteRecursively(scenarioDir);
                }
            }
        }
        out.println();
        Report.print(out, Machine.current(), "java -jar volt-workflow-bench.jar " + String.join(" ", args), figures);
        if (request.out() != null) {
            try (PrintStream file = new PrintStream(Files.newOutputStream(request.out()), true, "UTF-8")) {
                Report.print(
                        file,
                        Machine.current(),
                        "java -jar volt-workflow-bench.jar " + String.join(" ", args),
                        figures);
            }
        }
        return figures;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    record Request(
            String scenario,
            List<Integer> scales,
            boolean quick,
            @Nullable Path dir,
            @Nullable Path out,
            @Nullable Path profile) {
        static Request parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("no scenario given");
            }
            String scenario = null;
            List<Integer> scales = List.of(1);
            boolean quick = false;
            Path dir = null;
            Path out = null;
            Path profile = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--quick" -> quick = true;
                    case "--scale" -> scales = parseScales(value(args, ++i, arg));
                    case "--dir" -> dir = Path.of(value(args, ++i, arg));
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--profile" -> profile = Path.of(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("--") || scenario != null) {
                            throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                        }
                        scenario = arg;
                    }
                }
            }
            if (scenario == null) {
                throw new IllegalArgumentException("no scenario given");
            }
            return new Request(scenario, scales, quick, dir, out, profile);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static List<Integer> parseScales(String raw) {
            List<Integer> scales = new ArrayList<>();
            for (String part : raw.split(",", -1)) {
                try {
                    int scale = Integer.parseInt(part.trim());
                    if (scale < 1 || scale > 1000) {
                        throw new IllegalArgumentException("--scale " + part + " must be between 1 and 1000");
                    }
                    scales.add(scale);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--scale '" + part + "' is not a whole number", e);
                }
            }
            return scales;
        }
    }

    /** The registry, in the order the report lists them. */
    static final class Scenarios {
        private Scenarios() {}

        static Map<String, Scenario> byName() {
            Map<String, Scenario> byName = new LinkedHashMap<>();
            for (Scenario scenario : List.<Scenario>of(
                    new InProcessOverheadScenario(),
                    new StepCostScenario(),
                    new ScheduleQualityScenario(),
                    new MemoryScenario(),
                    new InProcessEventsScenario(),
                    new WebSocketEventsScenario(),
                    new DiskScenario(),
                    new RecoveryScenario(),
                    new PostgresScenario(),
                    new HttpAdapterScenario())) {
                byName.put(scenario.name(), scenario);
            }
            return byName;
        }
    }
}
