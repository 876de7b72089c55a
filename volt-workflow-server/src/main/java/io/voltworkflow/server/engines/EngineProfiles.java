package io.voltworkflow.server.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.model.Budget;
import io.voltworkflow.engines.EngineConfigJson;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.EnginesConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code engines} section: named profiles, each the engine configuration of {@link EngineConfigJson} per stage
 * ({@code nlp}, {@code codegen}, {@code validation}) plus an optional default {@code budget}, and which profile
 * workflows use when they name none.
 *
 * <pre>{@code
 * engines:
 *   default: cloud
 *   profiles:
 *     cloud:
 *       nlp:     {type: openai, model: gpt-4.1-mini, credentials: openai}
 *       codegen: {type: anthropic, model: claude-sonnet-4-5, credentials: anthropic}
 *       budget:  {maxCostUsd: 2}
 *     local:
 *       nlp:     {type: openai, url: "http://127.0.0.1:11434/v1", model: llama3.2}
 *       codegen: {type: openai, url: "http://127.0.0.1:11434/v1", model: llama3.2}
 * }</pre>
 *
 * A stage a profile leaves out runs on the built-in engine. The host fills in what it owns: the workspace of built-in
 * engines, of chat code generators (their patches are checked and applied where validation runs) and of command
 * engines, and the built-in validation command it was told.
 */
public record EngineProfiles(String defaultProfile, Map<String, EngineProfile> profiles) {
    private static final Set<String> SECTION_FIELDS = Set.of("default", "profiles");

    public EngineProfiles {
        profiles = Map.copyOf(profiles);
        if (!profiles.containsKey(defaultProfile)) {
            throw new IllegalArgumentException("engines.default: no profile named '" + defaultProfile + "'; profiles: "
                    + new TreeSet<>(profiles.keySet()));
        }
    }

    /**
     * What the host decides for engines that work on its files. {@code demonstrateRepair}: built-in code generation
     * that does not say otherwise writes first scaffolds the CLI workspace's check rejects (a repair round to watch).
     */
    public record HostDefaults(Path workspace, @Nullable List<String> validationCommand, boolean demonstrateRepair) {
        public HostDefaults {
            validationCommand = validationCommand == null ? null : List.copyOf(validationCommand);
        }
    }

    public EngineProfile profile(@Nullable String name) {
        EngineProfile profile = profiles.get(name == null ? defaultProfile : name);
        if (profile == null) {
            throw new IllegalArgumentException(
                    "no engine profile named '" + name + "'; profiles: " + new TreeSet<>(profiles.keySet()));
        }
        return profile;
    }

    /** Reads {@code config}; errors name the section, profile, stage and field. */
    public static EngineProfiles read(ConfigFile config, HostDefaults host, Function<String, String> environment) {
        ConfiguredCredentials credentials = ConfiguredCredentials.read(config.section("credentials"), environment);
        JsonNode section = config.section("engines");
        Map<String, JsonNode> raw = new LinkedHashMap<>();
        String defaultName;
        if (section.isMissingNode() || section.isNull()) {
            raw.put("builtin", JsonNodeFactory.instance.objectNode());
            defaultName = "builtin";
        } else {
            if (!section.isObject()) {
                throw new IllegalArgumentException("engines: must be an object with 'profiles' (and 'default')");
            }
            List<String> unknown = new java.util.ArrayList<>();
            section.fieldNames().forEachRemaining(name -> {
                if (!SECTION_FIELDS.contains(name)) {
                    unknown.add(name);
                }
            });
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(
                        "engines has unknown field(s) " + unknown + "; known: " + new TreeSet<>(SECTION_FIELDS));
            }
            JsonNode profiles = section.path("profiles");
            if (!profiles.isObject() || profiles.isEmpty()) {
                throw new IllegalArgumentException("engines.profiles: must name at least one profile, e.g. "
                        + "profiles: {cloud: {nlp: {type: openai, model: gpt-4.1-mini, credentials: openai}}}");
            }
            profiles.properties().forEach(entry -> raw.put(entry.getKey(), entry.getValue()));
            JsonNode named = section.get("default");
            if (named != null && !named.isNull()) {
                defaultName = named.asText();
            } else if (raw.size() == 1) {
                defaultName = raw.keySet().iterator().next();
            } else {
                throw new IllegalArgumentException(
                        "engines.default: required when there are several profiles " + new TreeSet<>(raw.keySet()));
            }
        }
        Map<String, EngineProfile> profiles = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : raw.entrySet()) {
            try {
                profiles.put(entry.getKey(), profile(entry.getKey(), entry.getValue(), host, credentials));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("engines.profiles." + entry.getKey() + "." + e.getMessage(), e);
            }
        }
        return new EngineProfiles(defaultName, profiles);
    }

    private static EngineProfile profile(
            String name, JsonNode node, HostDefaults host, ConfiguredCredentials credentials) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(
                    "profile: must be an object of stages " + new TreeSet<>(EngineProfile.STAGES) + " and 'budget'");
        }
        ObjectNode stages = JsonNodeFactory.instance.objectNode();
        Map<String, String> credentialIds = new LinkedHashMap<>();
        Budget budget = Budget.UNLIMITED;
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (entry.getKey().equals("budget")) {
                budget = budget(entry.getValue());
            } else if (EngineProfile.STAGES.contains(entry.getKey())) {
                stages.set(entry.getKey(), entry.getValue());
            } else {
                throw new IllegalArgumentException(entry.getKey() + ": unknown; a profile has "
                        + new TreeSet<>(EngineProfile.STAGES) + " and 'budget'");
            }
        }
        for (String stage : EngineProfile.STAGES) {
            JsonNode configured = stages.get(stage);
            ObjectNode filled = configured == null || configured.isNull()
                    ? JsonNodeFactory.instance.objectNode().put("type", "builtin")
                    : requireObject(configured, stage).deepCopy();
            fillHostDefaults(stage, filled, host);
            stages.set(stage, filled);
            JsonNode credential = filled.get("credentials");
            if (credential != null && credential.isTextual()) {
                credentialIds.put(stage, credential.asText());
            }
        }
        // Credentials depend on the engine's kind (how the secret is sent), so each stage resolves its own.
        EnginesConfig config = new EnginesConfig(
                stage(stages, "nlp", credentials),
                stage(stages, "codegen", credentials),
                stage(stages, "validation", credentials));
        return new EngineProfile(name, config, budget, stages, credentialIds);
    }

    private static io.voltworkflow.engines.EngineConfig stage(
            ObjectNode stages, String stage, ConfiguredCredentials credentials) {
        JsonNode node = stages.get(stage);
        EngineKind kind = EngineKind.fromId(node.path("type").asText());
        try {
            return EngineConfigJson.read(node, id -> credentials.source(id, kind));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(stage + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode requireObject(JsonNode node, String stage) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(stage + ": must be an object with 'type'");
        }
        return (ObjectNode) node;
    }

    private static void fillHostDefaults(String stage, ObjectNode node, HostDefaults host) {
        String type = node.path("type").asText("");
        boolean builtin = type.equals("builtin");
        boolean chatCodegen = stage.equals("codegen")
                && Set.of("openai", "azure-openai", "anthropic").contains(type);
        if ((builtin || chatCodegen || type.equals("command")) && !node.has("workspace")) {
            node.put("workspace", host.workspace().toString());
        }
        if (builtin
                && stage.equals("validation")
                && !node.has("validationCommand")
                && host.validationCommand() != null) {
            ArrayNode command = node.putArray("validationCommand");
            host.validationCommand().forEach(command::add);
        }
        if (builtin && stage.equals("codegen") && host.demonstrateRepair() && !node.has("demonstrateRepair")) {
            node.put("demonstrateRepair", true);
        }
    }

    private static Budget budget(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("budget: must be {maxTokens: N, maxCostUsd: X}");
        }
        for (String field : (Iterable<String>) node::fieldNames) {
            if (!Set.of("maxTokens", "maxCostUsd").contains(field)) {
                throw new IllegalArgumentException(
                        "budget has unknown field '" + field + "'; known: [maxCostUsd, maxTokens]");
            }
        }
        JsonNode tokens = node.path("maxTokens");
        JsonNode cost = node.path("maxCostUsd");
        if ((!tokens.isMissingNode() && !tokens.isIntegralNumber()) || (!cost.isMissingNode() && !cost.isNumber())) {
            throw new IllegalArgumentException("budget: maxTokens must be a whole number and maxCostUsd a number");
        }
        return new Budget(tokens.asLong(0), cost.asDouble(0));
    }
}
