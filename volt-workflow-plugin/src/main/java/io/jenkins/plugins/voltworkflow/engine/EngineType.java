package io.jenkins.plugins.voltworkflow.engine;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of engine the plugin can configure, and what each needs. A command only ever validates, in a workspace
 * lent by a step inside {@code node {}}: the plugin never runs a user's command on the controller.
 */
public enum EngineType {
    BUILTIN("Built-in (offline, deterministic)", false, false, EnumSet.allOf(EngineRole.class)),
    VOLT("Volt engine protocol (HTTP)", true, false, EnumSet.allOf(EngineRole.class)),
    OPENAI("OpenAI-compatible chat API", true, false, EnumSet.of(EngineRole.ANALYSIS, EngineRole.CODEGEN)),
    ANTHROPIC("Anthropic Messages API", true, false, EnumSet.of(EngineRole.ANALYSIS, EngineRole.CODEGEN)),
    COMMAND("Command in the build's workspace (validation)", false, true, EnumSet.of(EngineRole.VALIDATION));

    private final String displayName;
    private final boolean needsUrl;
    private final boolean needsCommand;
    private final Set<EngineRole> roles;

    EngineType(String displayName, boolean needsUrl, boolean needsCommand, Set<EngineRole> roles) {
        this.displayName = displayName;
        this.needsUrl = needsUrl;
        this.needsCommand = needsCommand;
        this.roles = roles;
    }

    public String displayName() {
        return displayName;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean needsUrl() {
        return needsUrl;
    }

    public boolean needsCommand() {
        return needsCommand;
    }

    public boolean serves(EngineRole role) {
        return roles.contains(role);
    }

    public static EngineType fromId(String id) {
        for (EngineType type : values()) {
            if (type.id().equals(id)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown engine type '" + id + "': use builtin, volt, openai, anthropic or command");
    }
}
