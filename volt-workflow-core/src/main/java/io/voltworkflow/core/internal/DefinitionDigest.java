package io.voltworkflow.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RepairPolicy;
import io.voltworkflow.core.model.WorkflowDefinition;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * What a workflow was created from, as a SHA-256 of its definition's JSON with object keys sorted: a retried create
 * is recognised by it after the steps have been expanded, after a restart and after the creating event was compacted
 * away (snapshots carry it), and key order in the project context does not matter.
 *
 * <p>Digests are stored, so the canonical text must never change: names and scalars are written exactly as
 * {@link JsonNode#toString()} writes them (Jackson's default settings), through one generator per digest rather than
 * one serialization per scalar.
 */
final class DefinitionDigest {
    /** Jackson's defaults, as {@link JsonNode#toString()} uses them; not the project's configured mappers. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder().build();

    private DefinitionDigest() {}

    static String of(WorkflowDefinition definition) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
        StringWriter canonical = new StringWriter();
        try (JsonGenerator out = CANONICAL.createGenerator(canonical)) {
            // Scalars are root values of the generator; the canonical text has no separator between them.
            out.setRootValueSeparator(null);
            write(canonicalTree(definition), out, CANONICAL.getSerializerProviderInstance());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Options added after digests were first stored count only when they differ from their default, so a definition
     * made before they existed keeps its digest.
     */
    private static JsonNode canonicalTree(WorkflowDefinition definition) {
        ObjectNode tree = WorkflowJson.compactMapper().valueToTree(definition);
        if (definition.options().repair().equals(RepairPolicy.DEFAULT)
                && tree.get("options") instanceof ObjectNode options) {
            options.remove("repair");
        }
        return tree;
    }

    private static void write(JsonNode node, JsonGenerator out, SerializerProvider provider) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.writeRaw('{');
            for (String name : names) {
                out.writeString(name);
                out.writeRaw(':');
                write(node.get(name), out, provider);
                out.writeRaw(',');
            }
            out.writeRaw('}');
        } else if (node.isArray()) {
            out.writeRaw('[');
            for (Iterator<JsonNode> items = node.elements(); items.hasNext(); ) {
                write(items.next(), out, provider);
                out.writeRaw(',');
            }
            out.writeRaw(']');
        } else {
            node.serialize(out, provider);
        }
    }
}
