package io.voltworkflow.engines.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.ProcessRunner;
import io.voltworkflow.engines.internal.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The offline validation engine: runs the project's build or test command in the workspace (output to
 * {@code .volt/validation/<workflow>/<step>.log}), then reads the JUnit XML reports that run wrote into pass/fail
 * counts. It passes when the command exits 0 and no test failed or errored. The verdict and counts are saved as
 * {@code .volt/validation/<workflow>/<step>.json}, the result's report reference.
 *
 * <p>Validations of one workspace run concurrently, so each run has a report directory of its own, emptied before
 * it starts, and tells the command what it validates through the environment: {@value #REPORTS_DIR} (where to
 * write JUnit reports), {@value #WORKFLOW_ID}, {@value #TASK_ID} and {@value #CHANGED_FILES} (the files the task's
 * code generation changed, one per line, relative to the workspace). When the command wrote reports there, only
 * those are read. A build that writes reports to its own places (Surefire, Gradle) is searched for in the
 * workspace instead: reports written since the run started, with files that vanish during the search skipped.
 */
public final class CommandValidation implements ValidationEngine {
    public static final String ENGINE = "builtin-validation";
    public static final String REPORTS_DIR = "VOLT_REPORTS_DIR";
    public static final String WORKFLOW_ID = "VOLT_WORKFLOW_ID";
    public static final String TASK_ID = "VOLT_TASK_ID";
    public static final String CHANGED_FILES = "VOLT_CHANGED_FILES";
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", ".volt", "node_modules");

    private final BuiltinOptions options;
    /** Where the command runs: the workspace, or another checkout of its repository (logs stay in the workspace). */
    private final Path directory;

    public CommandValidation(BuiltinOptions options) {
        this(options, options.workspace());
    }

    private CommandValidation(BuiltinOptions options, Path directory) {
        this.options = options;
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The same command and report search, run in {@code checkout}; its log and verdict go to the workspace's. */
    @Override
    public Optional<CompletionStage<ValidationResult>> validateCheckout(
            Path checkout, ValidationRequest request, EngineContext context) {
        return Optional.of(new CommandValidation(options, checkout).validate(request, context));
    }

    @Override
    public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
        return CompletableFuture.supplyAsync(() -> prepare(request, context), context.blockingExecutor())
                .thenCompose(run -> ProcessRunner.run(run.spec(), context)
                        .thenApplyAsync(
                                outcome -> verdict(run, outcome.exitCode(), context), context.blockingExecutor()));
    }

    /** One validation run: its command, where its output ({@code log}) and reports go, and when it started. */
    private record Run(
            ProcessRunner.Spec spec,
            Path log,
            List<String> command,
            Instant started,
            String workflow,
            String step,
            Path reportsDirectory) {}

    private Run prepare(ValidationRequest request, EngineContext context) {
        List<String> command =
                options.validationCommand().isEmpty() ? detectCommand(directory) : options.validationCommand();
        String workflow = Artifacts.safeName(context.workflowId().value());
        String step = Artifacts.safeName(context.stepName());
        Path log = Artifacts.file(options, "validation", workflow, step + ".log");
        Path reportsDirectory = emptied(log.resolveSibling(step + ".reports"));
        context.recordProvenance("engine", ENGINE);
        context.recordProvenance("validation_command", String.join(" ", command));
        context.progress("running " + String.join(" ", command) + " in " + directory);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(REPORTS_DIR, reportsDirectory.toString());
        environment.put(WORKFLOW_ID, context.workflowId().value());
        if (request.task() != null) {
            environment.put(TASK_ID, request.task().id());
        }
        environment.put(
                CHANGED_FILES,
                request.code() == null ? "" : String.join("\n", request.code().files()));
        ProcessRunner.Spec spec = new ProcessRunner.Spec(
                "validation command",
                command,
                directory,
                environment,
                null,
                options.validationTimeout(),
                0,
                log,
                Redactor.NONE);
        // File times have coarse resolution on some file systems: reports from this run are those not older than it.
        return new Run(
                spec, log, command, Instant.now().truncatedTo(ChronoUnit.SECONDS), workflow, step, reportsDirectory);
    }

    private ValidationResult verdict(Run run, int exitCode, EngineContext context) {
        List<String> command = run.command();
        List<Path> reports = findReports(run.reportsDirectory(), FileTime.fromMillis(Long.MIN_VALUE));
        if (reports.isEmpty()) {
            reports = findReports(directory, FileTime.from(run.started()));
        }
        JUnitReports.Counts counts = reports.stream()
                .map(report -> JUnitReports.read(report, rootOf(report)))
                .reduce(JUnitReports.Counts.NONE, JUnitReports.Counts::plus);
        boolean passed = exitCode == 0 && counts.failures() == 0 && counts.errors() == 0;
        String summary = (passed ? "validation passed: " : "validation failed: ") + count(counts.tests(), "test") + ", "
                + count(counts.failures(), "failure") + ", " + count(counts.errors(), "error") + ", " + counts.skipped()
                + " skipped in " + count(reports.size(), "JUnit report") + "; '" + String.join(" ", command)
                + "' exited "
                + exitCode + (reports.isEmpty() ? " (no JUnit reports found)" : "");
        Path report = Artifacts.file(options, "validation", run.workflow(), run.step() + ".json");
        ObjectNode json = Json.object()
                .put("passed", passed)
                .put("exitCode", exitCode)
                .put("command", String.join(" ", command))
                .put("tests", counts.tests())
                .put("failures", counts.failures())
                .put("errors", counts.errors())
                .put("skipped", counts.skipped())
                .put("summary", summary)
                .put("log", run.log().toString());
        reports.forEach(path ->
                json.withArray("reports").add(rootOf(path).relativize(path).toString()));
        counts.findings().forEach(finding -> json.withArray("findings").add(finding));
        try {
            Files.writeString(report, Json.write(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the validation report " + report, e);
        }
        context.progress(summary);
        return new ValidationResult(
                passed,
                counts.tests(),
                counts.failures(),
                counts.errors(),
                counts.skipped(),
                summary,
                counts.findings(),
                report.toString());
    }

    /** The directory a report is named relative to: where the command ran, or the workspace for its own reports. */
    private Path rootOf(Path report) {
        return report.startsWith(directory) ? directory : options.workspace();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A retry or resume of the same step starts from no reports, never from those of the attempt before. */
    private static Path emptied(Path directory) {
        try {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the report directory " + directory, e);
        }
    }

    /**
     * JUnit reports under {@code root} modified since {@code since}. Other runs write into the workspace while it is
     * searched: a file or directory that vanishes meanwhile is skipped, not an error.
     */
    private List<Path> findReports(Path root, FileTime since) {
        List<PathMatcher> matchers = options.reportGlobs().stream()
                .flatMap(glob -> glob.startsWith("**/") ? Stream.of(glob, glob.substring(3)) : Stream.of(glob))
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
        boolean ownDirectory = !root.equals(directory);
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                    return directory.equals(root)
                                    || !SKIPPED_DIRECTORIES.contains(
                                            directory.getFileName().toString())
                            ? FileVisitResult.CONTINUE
                            : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    Path relative = root.relativize(file);
                    boolean report = ownDirectory
                            ? file.getFileName().toString().endsWith(".xml")
                            : matchers.stream().anyMatch(matcher -> matcher.matches(relative));
                    if (attributes.isRegularFile()
                            && report
                            && attributes.lastModifiedTime().compareTo(since) >= 0) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    if (failure instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw failure;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search " + root + " for JUnit reports", e);
        }
        found.sort(null);
        return found;
    }

    /** The project's own build, recognised by its files; a clear error when there is none to recognise. */
    static List<String> detectCommand(Path workspace) {
        if (Files.isRegularFile(workspace.resolve("mvnw"))) {
            return List.of("./mvnw", "-B", "verify");
        }
        if (Files.isRegularFile(workspace.resolve("pom.xml"))) {
            return List.of("mvn", "-B", "verify");
        }
        if (Files.isRegularFile(workspace.resolve("gradlew"))) {
            return List.of("./gradlew", "test");
        }
        if (Files.isRegularFile(workspace.resolve("package.json"))) {
            return List.of("npm", "test");
        }
        if (Files.isRegularFile(workspace.resolve("Makefile"))) {
            return List.of("make", "test");
        }
        throw new EngineException(StepError.recoverable(
                StepError.INVALID_INPUT,
                "no validation command is configured and " + workspace
                        + " has no mvnw, pom.xml, gradlew, package.json or Makefile to recognise the build by"));
    }
}
