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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The offline validation engine: runs the project's build or test command in the workspace (output to
 * {@code .volt/validation/<workflow>/<step>.log}), then reads the JUnit XML reports that run wrote into pass/fail
 * counts. It passes when the command exits 0 and no test failed or errored. The verdict and counts are saved as
 * {@code .volt/validation/<workflow>/<step>.json}, the result's report reference.
 */
public final class CommandValidation implements ValidationEngine {
  public static final String ENGINE = "builtin-validation";
  private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", ".volt", "node_modules");

  private final BuiltinOptions options;

  public CommandValidation(BuiltinOptions options) {
    this.options = options;
  }

  @Override
  public CompletionStage<ValidationResult> validate(ValidationRequest request, EngineContext context) {
    return CompletableFuture.supplyAsync(() -> prepare(context), context.blockingExecutor())
        .thenCompose(run -> ProcessRunner.run(run.spec(), context).thenApplyAsync(
            outcome -> verdict(run, outcome.exitCode(), context), context.blockingExecutor()));
  }

  /** One validation run: its command, where its output goes, and when it started. */
  private record Run(ProcessRunner.Spec spec, List<String> command, Instant started, String workflow, String step) {}

  private Run prepare(EngineContext context) {
    List<String> command = options.validationCommand().isEmpty() ? detectCommand(options.workspace()) : options.validationCommand();
    String workflow = Artifacts.safeName(context.workflowId().value());
    String step = Artifacts.safeName(context.stepName());
    Path log = Artifacts.file(options, "validation", workflow, step + ".log");
    context.recordProvenance("engine", ENGINE);
    context.recordProvenance("validation_command", String.join(" ", command));
    context.progress("running " + String.join(" ", command) + " in " + options.workspace());
    ProcessRunner.Spec spec = new ProcessRunner.Spec("validation command", command, options.workspace(), Map.of(),
        null, options.validationTimeout(), 0, log, Redactor.NONE);
    // File times have coarse resolution on some file systems: reports from this run are those not older than it.
    return new Run(spec, command, Instant.now().truncatedTo(ChronoUnit.SECONDS), workflow, step);
  }

  private ValidationResult verdict(Run run, int exitCode, EngineContext context) {
    List<String> command = run.command();
    List<Path> reports = reports(run.started());
    JUnitReports.Counts counts = reports.stream()
        .map(report -> JUnitReports.read(report, options.workspace()))
        .reduce(JUnitReports.Counts.NONE, JUnitReports.Counts::plus);
    boolean passed = exitCode == 0 && counts.failures() == 0 && counts.errors() == 0;
    String summary = (passed ? "validation passed: " : "validation failed: ") + counts.tests() + " tests, "
        + counts.failures() + " failures, " + counts.errors() + " errors, " + counts.skipped() + " skipped in "
        + reports.size() + " JUnit report" + (reports.size() == 1 ? "" : "s") + "; '" + String.join(" ", command)
        + "' exited " + exitCode + (reports.isEmpty() ? " (no JUnit reports found)" : "");
    Path report = Artifacts.file(options, "validation", run.workflow(), run.step() + ".json");
    ObjectNode json = Json.object()
        .put("passed", passed).put("exitCode", exitCode).put("command", String.join(" ", command))
        .put("tests", counts.tests()).put("failures", counts.failures()).put("errors", counts.errors())
        .put("skipped", counts.skipped()).put("summary", summary).put("log", run.spec().outputLog().toString());
    reports.forEach(path -> json.withArray("reports").add(options.workspace().relativize(path).toString()));
    counts.findings().forEach(finding -> json.withArray("findings").add(finding));
    try {
      Files.writeString(report, Json.write(json), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the validation report " + report, e);
    }
    context.progress(summary);
    return new ValidationResult(passed, counts.tests(), counts.failures(), counts.errors(), counts.skipped(), summary,
        counts.findings(), report.toString());
  }

  private List<Path> reports(Instant started) {
    List<PathMatcher> matchers = options.reportGlobs().stream()
        .flatMap(glob -> glob.startsWith("**/") ? Stream.of(glob, glob.substring(3)) : Stream.of(glob))
        .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
        .toList();
    FileTime since = FileTime.from(started);
    try (Stream<Path> files = Files.walk(options.workspace())) {
      return files
          .filter(path -> options.workspace().relativize(path).getNameCount() > 0)
          .filter(path -> !isSkipped(options.workspace().relativize(path)))
          .filter(Files::isRegularFile)
          .filter(path -> matchers.stream().anyMatch(matcher -> matcher.matches(options.workspace().relativize(path))))
          .filter(path -> modifiedSince(path, since))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search " + options.workspace() + " for JUnit reports", e);
    }
  }

  private static boolean isSkipped(Path relative) {
    for (Path segment : relative) {
      if (SKIPPED_DIRECTORIES.contains(segment.toString())) {
        return true;
      }
    }
    return false;
  }

  private static boolean modifiedSince(Path path, FileTime since) {
    try {
      return Files.getLastModifiedTime(path).compareTo(since) >= 0;
    } catch (IOException vanished) {
      return false;
    }
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
    throw new EngineException(StepError.recoverable(StepError.INVALID_INPUT, "no validation command is configured and "
        + workspace + " has no mvnw, pom.xml, gradlew, package.json or Makefile to recognise the build by"));
  }
}
