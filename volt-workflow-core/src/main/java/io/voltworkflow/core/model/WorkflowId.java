package io.voltworkflow.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** Identity of a workflow: short, URL- and file-name-safe, so it can appear in paths, headers and logs as is. */
public record WorkflowId(String value) {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public WorkflowId {
        Objects.requireNonNull(value, "workflow id");
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "workflow id '" + value + "' must be 1-128 characters of letters, digits, '.', '_' or '-'");
        }
    }

    public static WorkflowId of(String value) {
        return new WorkflowId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
