package io.voltworkflow.server.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The host's configuration file, YAML or JSON (the same tree either way): a top-level object of sections. Each
 * section belongs to one feature and is read by it ({@code credentials}, {@code engines}); an unknown section is an
 * error naming the known ones, so a misspelt section never silently falls back to defaults.
 */
public final class ConfigFile {
    /** Sections features read; a feature that adds a section adds its name here. */
    public static final Set<String> SECTIONS = Set.of("credentials", "delivery", "engines", "webhooks");

    public static final String VARIABLE = "VOLT_WORKFLOW_CONFIG";
    /** Looked for in the data directory when neither {@code --config} nor {@code $VOLT_WORKFLOW_CONFIG} names a file. */
    public static final List<String> DEFAULT_NAMES = List.of("volt.yaml", "volt.yml", "volt.json");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final @Nullable Path path;
    private final JsonNode root;

    private ConfigFile(@Nullable Path path, JsonNode root) {
        this.path = path;
        this.root = root;
    }

    /** The file named by {@code explicit}, else by the variable, else the first default name in {@code dataDirectory}. */
    public static Optional<Path> locate(@Nullable Path explicit, @Nullable String variable, Path dataDirectory) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        if (variable != null && !variable.isBlank()) {
            return Optional.of(Path.of(variable));
        }
        return DEFAULT_NAMES.stream()
                .map(dataDirectory::resolve)
                .filter(Files::isRegularFile)
                .findFirst();
    }

    /** Reads and checks the top level; errors name the file and the problem. */
    public static ConfigFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("configuration file " + path + " does not exist");
        }
        JsonNode root;
        try {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            root = (name.endsWith(".json") ? JSON : YAML).readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + path + " cannot be read: " + e.getMessage(), e);
        }
        return of(path, root);
    }

    /** A configuration held in memory (the CLI's shortcuts build one). */
    public static ConfigFile of(@Nullable Path path, JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JSON.createObjectNode();
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(
                    describe(path) + " must be an object of sections " + new TreeSet<>(SECTIONS));
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!SECTIONS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    describe(path) + " has unknown section(s) " + unknown + "; known: " + new TreeSet<>(SECTIONS));
        }
        return new ConfigFile(path, root);
    }

    /** Where it came from, for messages: a path or "the command-line engine shortcut". */
    public String source() {
        return describe(path);
    }

    /** A section, or a missing node. */
    public JsonNode section(String name) {
        if (!SECTIONS.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a configuration section");
        }
        return root.path(name);
    }

    private static String describe(@Nullable Path path) {
        return path == null ? "the engine shortcut configuration" : "configuration file " + path;
    }
}
