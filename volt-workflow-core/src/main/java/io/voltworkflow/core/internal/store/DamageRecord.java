package io.voltworkflow.core.internal.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.store.DamageReport;
import java.io.IOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One durable fact about damage, stored as a {@link RecordKind#DAMAGE} record (compact JSON), always written twice
 * so that one bad sector does not erase it. Either a workflow's lost sequences ({@code workflowId}, {@code from},
 * {@code to}) or unreadable bytes skipped at {@code file}/{@code offset} ({@code bytes}). A later record with the same
 * {@link #key()} replaces an earlier one, which is how acknowledgement is recorded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DamageRecord(
        @Nullable String workflowId,
        long from,
        long to,
        boolean certain,
        @Nullable String file,
        long offset,
        long bytes,
        String reason,
        Instant detectedAt,
        boolean acknowledged) {

    static DamageRecord lost(String workflowId, long from, long to, boolean certain, String reason, Instant at) {
        return new DamageRecord(workflowId, from, to, certain, null, 0, 0, reason, at, false);
    }

    static DamageRecord skipped(String file, long offset, long bytes, String reason, Instant at) {
        return new DamageRecord(null, 0, 0, true, file, offset, bytes, reason, at, false);
    }

    public boolean isLoss() {
        return workflowId != null;
    }

    String key() {
        return isLoss() ? "lost " + workflowId + " " + from + ".." + to : "skipped " + file + " " + offset;
    }

    public DamageRecord acknowledge() {
        return new DamageRecord(workflowId, from, to, certain, file, offset, bytes, reason, detectedAt, true);
    }

    DamageReport.LostRange range() {
        return new DamageReport.LostRange(from, to, certain, reason);
    }

    public byte[] encode() {
        try {
            return WorkflowJson.compactMapper().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a damage record always encodes", e);
        }
    }

    static DamageRecord decode(byte[] payload) {
        try {
            return WorkflowJson.compactMapper().readValue(payload, DamageRecord.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("undecodable damage record: " + e.getMessage(), e);
        }
    }
}
