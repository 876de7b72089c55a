package io.voltworkflow.core.internal.store;

import org.jspecify.annotations.Nullable;

/** What a log record holds; the kind byte is part of the checksummed frame. */
public enum RecordKind {
    EVENT((byte) 1),
    SNAPSHOT((byte) 2),
    /** A damage the store found and keeps as a fact: see {@link DamageRecord}. */
    DAMAGE((byte) 3);

    private final byte code;

    RecordKind(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    /** The kind with this code, or {@code null} for a byte no writer produces (a sign of corruption). */
    public static @Nullable RecordKind fromCode(byte code) {
        return switch (code) {
            case 1 -> EVENT;
            case 2 -> SNAPSHOT;
            case 3 -> DAMAGE;
            default -> null;
        };
    }
}
