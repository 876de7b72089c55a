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
 */
public record BuiltinOptions(
        Path workspace,
        List<String> validationCommand,
        List<String> reportGlobs,
        Duration validationTimeout,
        String scaffoldDirectory) {

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

        public BuiltinOptions build() {
            return new BuiltinOptions(workspace, validationCommand, reportGlobs, validationTimeout, scaffoldDirectory);
        }
    }
}
