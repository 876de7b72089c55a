package io.voltworkflow.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowDefinition;
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
 */
final class DefinitionDigest {
  private DefinitionDigest() {}

  static String of(WorkflowDefinition definition) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
    StringBuilder canonical = new StringBuilder();
    write(WorkflowJson.compactMapper().valueToTree(definition), canonical);
    return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      out.append('{');
      for (String name : names) {
        out.append(quote(name)).append(':');
        write(node.get(name), out);
        out.append(',');
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (Iterator<JsonNode> items = node.elements(); items.hasNext(); ) {
        write(items.next(), out);
        out.append(',');
      }
      out.append(']');
    } else {
      out.append(node);
    }
  }

  private static String quote(String text) {
    return WorkflowJson.mapper().getNodeFactory().textNode(text).toString();
  }
}
