package io.voltworkflow.engines.builtin;

import io.voltworkflow.engines.internal.PatchPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options of the offline engines. {@code workspace} is the git working directory that code generation writes into
 * and validation runs in; artifacts (patches, logs, reports) go to its {@code .volt/} directory, which is added to
 * {@code .git/info/exclude} so it never shows up in a diff. An empty {@code validationCommand} means: detect the
 * build ({@code ./mvnw -B verify}, {@code mvn -B verify}, {@code ./gradlew test}, {@code npm test}, {@code make test}).
 * {@code demonstrateRepair} (off by default) makes the scaffold generator's first pass of a task with dependencies
 * name them as plain ids, which the scaffold check of a workspace the CLI creates rejects, so the offline path shows
 * a repair round; see {@link ScaffoldCodegen}.
 */
public record BuiltinOptions(
        Path workspace,
        List<String> validationCommand,
        List<String> reportGlobs,
        Duration validationTimeout,
        String scaffoldDirectory,
        boolean demonstrateRepair) {

    public static final List<String> DEFAULT_REPORT_GLOBS = List.of(
            "**/surefire-reports/TEST-*.xml",
            "**/failsafe-reports/TEST-*.xml",
            "**/test-results/**/*.xml",
            "**/junit*.xml");

    public BuiltinOptions {
        Objects.requireNonNull(workspace, "workspace");
        workspace = workspace.toAbsolutePath().normalize();
        validationCommand = List.copyOf(validationCommand);
        reportGlobs = List.copyOf(reportGlobs);
        if (reportGlobs.isEmpty()) {
            throw new IllegalArgumentException("reportGlobs must name at least one pattern");
        }
        Objects.requireNonNull(validationTimeout, "validationTimeout");
        if (validationTimeout.isZero() || validationTimeout.isNegative()) {
            throw new IllegalArgumentException("validationTimeout must be positive, was " + validationTimeout);
        }
        PatchPaths.requireSafe(Objects.requireNonNull(scaffoldDirectory, "scaffoldDirectory"));
    }

    public static Builder builder(Path workspace) {
        return new Builder(workspace);
    }

    Path artifacts() {
        return workspace.resolve(".volt");
    }

    public static final class Builder {
        private final Path workspace;
        private List<String> validationCommand = List.of();
        private List<String> reportGlobs = DEFAULT_REPORT_GLOBS;
        private Duration validationTimeout = Duration.ofMinutes(30);
        private String scaffoldDirectory = "volt-scaffold";
        private boolean demonstrateRepair;

        private Builder(Path workspace) {
            this.workspace = workspace;
        }

        public Builder validationCommand(List<String> validationCommand) {
            this.validationCommand = validationCommand;
            return this;
        }

        public Builder reportGlobs(List<String> reportGlobs) {
            this.reportGlobs = reportGlobs;
            return this;
        }

        public Builder validationTimeout(Duration validationTimeout) {
            this.validationTimeout = validationTimeout;
            return this;
        }

        public Builder scaffoldDirectory(String scaffoldDirectory) {
            this.scaffoldDirectory = scaffoldDirectory;
            return this;
        }

        public Builder demonstrateRepair(boolean demonstrateRepair) {
            this.demonstrateRepair = demonstrateRepair;
            return this;
        }

        public BuiltinOptions build() {
            return new BuiltinOptions(
                    workspace, validationCommand, reportGlobs, validationTimeout, scaffoldDirectory, demonstrateRepair);
        }
    }
}
