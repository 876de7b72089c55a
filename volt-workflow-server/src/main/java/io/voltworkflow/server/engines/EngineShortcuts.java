package io.voltworkflow.server.engines;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The configuration a user gets without writing a file: {@code --engine openai|anthropic|ollama|builtin} (and
 * {@code --model}), or, with no {@code --engine}, the first of {@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY} and
 * {@code OLLAMA_HOST} that is set; with none of them, the built-in offline engines. The result is an ordinary
 * configuration tree, read by the same code as a file. {@code OPENAI_BASE_URL} and {@code ANTHROPIC_BASE_URL} move
 * the endpoints (gateways, compatible servers), as in the providers' own SDKs.
 */
public final class EngineShortcuts {
    public static final String OPENAI_KEY = "OPENAI_API_KEY";
    public static final String ANTHROPIC_KEY = "ANTHROPIC_API_KEY";
    public static final String OLLAMA_HOST = "OLLAMA_HOST";
    public static final String DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";
    public static final String DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-5";
    public static final String DEFAULT_OLLAMA_MODEL = "llama3.2";

    private EngineShortcuts() {}

    /** The provider the shortcut picks: {@code engine} when given, else from the environment, else builtin. */
    public static String provider(@Nullable String engine, Function<String, String> environment) {
        if (engine != null) {
            return engine.strip().toLowerCase(Locale.ROOT);
        }
        if (set(environment, OPENAI_KEY)) {
            return "openai";
        }
        if (set(environment, ANTHROPIC_KEY)) {
            return "anthropic";
        }
        return set(environment, OLLAMA_HOST) ? "ollama" : "builtin";
    }

    /** The configuration tree for {@code provider}; errors say what is missing. */
    public static ObjectNode config(String provider, @Nullable String model, Function<String, String> environment) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode chat = JsonNodeFactory.instance.objectNode();
        switch (provider) {
            case "builtin" -> {
                if (model != null) {
                    throw new IllegalArgumentException("--model applies to AI engines; the built-in engines have none");
                }
                return root;
            }
            case "openai" -> {
                require(environment, OPENAI_KEY, "openai");
                root.putObject("credentials").putObject("openai").put("env", OPENAI_KEY);
                chat.put("type", "openai")
                        .put("model", model == null ? DEFAULT_OPENAI_MODEL : model)
                        .put("credentials", "openai");
                if (set(environment, "OPENAI_BASE_URL")) {
                    chat.put("url", environment.apply("OPENAI_BASE_URL"));
                }
            }
            case "anthropic" -> {
                require(environment, ANTHROPIC_KEY, "anthropic");
                root.putObject("credentials").putObject("anthropic").put("env", ANTHROPIC_KEY);
                chat.put("type", "anthropic")
                        .put("model", model == null ? DEFAULT_ANTHROPIC_MODEL : model)
                        .put("credentials", "anthropic");
                if (set(environment, "ANTHROPIC_BASE_URL")) {
                    chat.put("url", environment.apply("ANTHROPIC_BASE_URL"));
                }
            }
            case "ollama" ->
                chat.put("type", "openai")
                        .put("model", model == null ? DEFAULT_OLLAMA_MODEL : model)
                        .put("url", ollamaUrl(environment.apply(OLLAMA_HOST)));
            default ->
                throw new IllegalArgumentException("unknown --engine '" + provider + "'; without a configuration file "
                        + "it is one of openai, anthropic, ollama, builtin (with one, a profile name)");
        }
        ObjectNode profile = root.putObject("engines").putObject("profiles").putObject(provider);
        profile.set("nlp", chat);
        profile.set("codegen", chat.deepCopy());
        return root;
    }

    /** {@code OLLAMA_HOST} as Ollama reads it: {@code host}, {@code host:port} or a URL; default 127.0.0.1:11434. */
    static String ollamaUrl(String host) {
        String value = host == null || host.isBlank() ? "127.0.0.1:11434" : host.strip();
        if (!value.contains("://")) {
            value = "http://" + value;
        }
        if (!value.substring(value.indexOf("://") + 3).contains(":")) {
            value = value + ":11434";
        }
        return (value.endsWith("/") ? value.substring(0, value.length() - 1) : value) + "/v1";
    }

    private static void require(Function<String, String> environment, String variable, String provider) {
        if (!set(environment, variable)) {
            throw new IllegalArgumentException("--engine " + provider + " needs $" + variable
                    + " (or a configuration file " + "naming the credential; see docs/engines.md)");
        }
    }

    private static boolean set(Function<String, String> environment, String variable) {
        String value = environment.apply(variable);
        return value != null && !value.isBlank();
    }
}
