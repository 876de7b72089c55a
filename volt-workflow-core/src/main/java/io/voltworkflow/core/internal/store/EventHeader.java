package io.voltworkflow.core.internal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowId;
import java.io.IOException;
import java.time.Instant;

/**
 * The identifying fields of an encoded event, read with a streaming parser so that opening a store does not pay
 * for decoding whole events. The codec writes these fields first, so the parser stops after a few tokens.
 */
public record EventHeader(WorkflowId workflowId, long sequence, Instant timestamp) {
  private static final JsonFactory JSON = WorkflowJson.compactMapper().getFactory();

  /** Workflow and sequence; {@code timestamp} is {@code null}. */
  public static EventHeader identity(byte[] payload) {
    return read(payload, false);
  }

  public static EventHeader withTimestamp(byte[] payload) {
    return read(payload, true);
  }

  private static EventHeader read(byte[] payload, boolean wantTimestamp) {
    String workflowId = null;
    long sequence = 0;
    Instant timestamp = null;
    try (JsonParser parser = JSON.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("event is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME
          && (workflowId == null || sequence == 0 || (wantTimestamp && timestamp == null))) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "workflowId" -> workflowId = parser.getText();
          case "sequence" -> sequence = parser.getLongValue();
          case "timestamp" -> timestamp = Instant.parse(parser.getText());
          default -> parser.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable event header: " + e.getMessage(), e);
    }
    if (workflowId == null || sequence < 1 || (wantTimestamp && timestamp == null)) {
      throw new IllegalArgumentException("event lacks its workflowId, sequence or timestamp");
    }
    return new EventHeader(new WorkflowId(workflowId), sequence, timestamp);
  }
}
