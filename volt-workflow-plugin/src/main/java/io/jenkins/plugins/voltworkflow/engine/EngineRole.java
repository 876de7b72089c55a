package io.jenkins.plugins.voltworkflow.engine;

import java.util.Locale;

/** Which part of the workflow an engine serves. */
public enum EngineRole {
    ANALYSIS("Requirement analysis and task breakdown"),
    CODEGEN("Code generation"),
    VALIDATION("Validation");

    private final String displayName;

    EngineRole(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** The name used in Jenkinsfiles and Configuration as Code: {@code analysis}, {@code codegen}, {@code validation}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EngineRole fromId(String id) {
        for (EngineRole role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown engine role '" + id + "': use analysis, codegen or validation");
    }
}
