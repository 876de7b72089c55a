package io.voltworkflow.core.internal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.voltworkflow.core.json.WorkflowJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The identifying fields of an encoded event, read with a streaming parser so that opening a store does not pay
 * for decoding whole events. The codec writes these fields first, so the parser stops after a few tokens.
 */
public record EventHeader(
        String workflowId, long sequence, @Nullable Instant timestamp) {
    private static final JsonFactory JSON = WorkflowJson.compactMapper().getFactory();
    private static final byte[] ID_PREFIX = "{\"workflowId\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQUENCE_FIELD = "\",\"sequence\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * Workflow (unvalidated) and sequence; {@code timestamp} is {@code null}. The codec's fixed layout is read
     * directly (this runs for every record on open); anything else goes through the JSON parser.
     */
    public static EventHeader identity(byte[] payload) {
        EventHeader header = fromCodecLayout(payload);
        return header != null ? header : read(payload, false);
    }

    private static @Nullable EventHeader fromCodecLayout(byte[] payload) {
        if (!Arrays.equals(payload, 0, ID_PREFIX.length, ID_PREFIX, 0, ID_PREFIX.length)) {
            return null;
        }
        int idEnd = ID_PREFIX.length;
        while (idEnd < payload.length && payload[idEnd] != '"' && payload[idEnd] != '\\') {
            idEnd++;
        }
        int digits = idEnd + SEQUENCE_FIELD.length;
        if (digits >= payload.length
                || !Arrays.equals(payload, idEnd, digits, SEQUENCE_FIELD, 0, SEQUENCE_FIELD.length)) {
            return null;
        }
        long sequence = 0;
        int i = digits;
        for (; i < payload.length && payload[i] >= '0' && payload[i] <= '9' && i - digits < 18; i++) {
            sequence = sequence * 10 + (payload[i] - '0');
        }
        if (i == digits || i >= payload.length || (payload[i] != ',' && payload[i] != '}') || sequence < 1) {
            return null;
        }
        return new EventHeader(
                new String(payload, ID_PREFIX.length, idEnd - ID_PREFIX.length, StandardCharsets.UTF_8),
                sequence,
                null);
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
        return new EventHeader(workflowId, sequence, timestamp);
    }
}
