package io.voltworkflow.core.engine;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Test and check counts as validation read them (e.g. from JUnit XML reports). */
public record ValidationResult(
        boolean passed,
        int tests,
        int failures,
        int errors,
        int skipped,
        String summary,
        List<String> findings,
        @Nullable String reportReference) {
    public ValidationResult {
        summary = summary == null ? "" : summary;
        findings = List.copyOf(findings == null ? List.of() : findings);
    }
}
