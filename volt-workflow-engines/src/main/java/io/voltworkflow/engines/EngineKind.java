package io.voltworkflow.engines;

import java.util.Locale;

/** The kinds of engine a host can configure; the wire id is the lower-case name with '-' (e.g. {@code azure-openai}). */
public enum EngineKind {
    /** Offline, embedded: heuristic analysis, scaffold code generation, build-and-JUnit validation. */
    BUILTIN,
    /** A service speaking the Volt engine protocol over HTTP (docs/engine-protocol.md). */
    VOLT,
    /** OpenAI Chat Completions or a compatible server (Ollama, vLLM, LiteLLM). */
    OPENAI,
    /** Azure OpenAI: a deployment, an {@code api-key} header and an {@code api-version}. */
    AZURE_OPENAI,
    /** Anthropic Messages. */
    ANTHROPIC,
    /** A local program speaking the Volt engine protocol over stdin/stdout. */
    COMMAND;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads a wire id such as {@code azure-openai}; the error lists the valid ones. */
    public static EngineKind fromId(String id) {
        for (EngineKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown engine type '" + id + "'; expected one of builtin, volt, openai, "
                + "azure-openai, anthropic, command");
    }

    boolean isChat() {
        return this == OPENAI || this == AZURE_OPENAI || this == ANTHROPIC;
    }
}
