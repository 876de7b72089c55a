package io.voltworkflow.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.outbox.DeliveryState;
import io.voltworkflow.core.outbox.InMemoryOutbox;
import io.voltworkflow.core.outbox.OutboxEntry;
import io.voltworkflow.core.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The file store's outbox: the in-memory outbox plus a journal of its changes in the store directory, one line per
 * change ({@code <crc32c> <json>}), each write forced to disk before the change is applied. Opening replays the
 * journal; a torn last line (a crash mid-write, never acknowledged) is cut off, and a damaged line elsewhere is
 * skipped: a notification whose changes it held is sent again under its id, or, if it held the notification's
 * creation, not at all. Opening also rewrites the journal to its live contents, dropping delivered entries older
 * than the retention; a journal with a skipped line other than a torn last one is first kept as found
 * ({@code outbox.journal.damaged-<millis>}), so the rewrite never erases the evidence, and {@link #problems()} names
 * the copy.
 */
public final class OutboxJournal extends InMemoryOutbox implements AutoCloseable {
    public static final String FILE_NAME = "outbox.journal";
    static final Duration DELIVERED_RETENTION = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private @Nullable FileChannel channel;
    private final List<String> problems = new ArrayList<>();
    /** A line other than a torn last one was skipped: a change that had been acknowledged is gone. */
    private boolean damaged;

    private OutboxJournal(Path file) {
        this.file = file;
    }

    /** Opens (or creates) the journal in {@code directory}; {@code now} decides which delivered entries expire. */
    public static OutboxJournal open(Path directory, Instant now) {
        OutboxJournal journal = new OutboxJournal(directory.resolve(FILE_NAME));
        try {
            journal.replay();
            if (journal.damaged) {
                journal.keepAsFound(now);
            }
            journal.rewrite(now);
        } catch (IOException e) {
            throw new StoreException("cannot open the outbox journal " + journal.file + ": " + e.getMessage(), e);
        }
        return journal;
    }

    /** Lines skipped or cut off on open, with their line number. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void replay() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode record = decode(lines.get(i));
            if (record == null) {
                boolean torn = i == lines.size() - 1;
                damaged |= !torn;
                problems.add(FILE_NAME + " line " + (i + 1)
                        + (torn ? ": torn last change cut off" : ": damaged change skipped"));
                continue;
            }
            try {
                apply(record);
            } catch (RuntimeException e) {
                damaged = true;
                problems.add(FILE_NAME + " line " + (i + 1) + ": unreadable change skipped (" + e.getMessage() + ")");
            }
        }
    }

    private void apply(JsonNode record) {
        switch (record.path("k").asText()) {
            case "entry" -> restoreEntry(entryOf(record));
            case "cursor" ->
                restoreCursor(
                        new WorkflowId(record.path("workflow").asText()),
                        record.path("sequence").asLong());
            case "registered" ->
                restoreRegistration(
                        record.path("subscription").asText(),
                        Instant.parse(record.path("at").asText()));
            case "subscription" ->
                restoreSubscription(
                        record.path("id").asText(),
                        record.path("document").isNull()
                                ? null
                                : record.path("document").asText());
            default -> {
                damaged = true;
                problems.add(
                        FILE_NAME + ": unknown change kind '" + record.path("k").asText() + "' skipped");
            }
        }
    }

    private void keepAsFound(Instant now) throws IOException {
        Path copy = file.resolveSibling(FILE_NAME + ".damaged-" + now.toEpochMilli());
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        problems.add("the journal as found is kept as " + copy);
    }

    /** Replaces the journal with the live contents (temporary file, forced, then renamed over it). */
    private void rewrite(Instant now) throws IOException {
        Contents contents = contents();
        Instant expiry = now.minus(DELIVERED_RETENTION);
        StringBuilder out = new StringBuilder();
        for (OutboxEntry entry : contents.entries()) {
            if (entry.state() == DeliveryState.DELIVERED
                    && entry.lastAttemptAt() != null
                    && entry.lastAttemptAt().isBefore(expiry)) {
                forget(entry.deliveryId());
                continue;
            }
            out.append(encode(entryRecord(entry)));
        }
        contents.cursors().forEach((id, sequence) -> out.append(encode(cursorRecord(id, sequence))));
        contents.registrations().forEach((id, at) -> out.append(encode(registrationRecord(id, at))));
        contents.subscriptions().forEach((id, document) -> out.append(encode(subscriptionRecord(id, document))));
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel write = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(write, out.toString());
            write.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    protected void persistEnqueue(List<OutboxEntry> fresh, Map<WorkflowId, Long> cursors) {
        StringBuilder out = new StringBuilder();
        fresh.forEach(entry -> out.append(encode(entryRecord(entry))));
        // Cursors last: if a crash keeps only part of the write, the events after the old cursor are derived again.
        cursors.forEach((id, sequence) -> out.append(encode(cursorRecord(id, sequence))));
        append(out.toString());
    }

    @Override
    protected void persistEntry(OutboxEntry entry) {
        append(encode(entryRecord(entry)));
    }

    @Override
    protected void persistRegistration(String subscriptionId, Instant at) {
        append(encode(registrationRecord(subscriptionId, at)));
    }

    @Override
    protected void persistSubscription(String id, @Nullable String document) {
        append(encode(subscriptionRecord(id, document)));
    }

    private void append(String lines) {
        if (channel == null) {
            throw new StoreException("the outbox journal " + file + " is closed");
        }
        try {
            writeFully(channel, lines);
            channel.force(false);
        } catch (IOException e) {
            throw new StoreException("cannot write the outbox journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new StoreException("cannot close the outbox journal " + file + ": " + e.getMessage(), e);
            } finally {
                channel = null;
            }
        }
    }

    private static void writeFully(FileChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static String encode(ObjectNode record) {
        String json = record.toString();
        return checksum(json) + " " + json + "\n";
    }

    /** The record of a line, or null when the line is torn or damaged. */
    private static @Nullable JsonNode decode(String line) {
        int space = line.indexOf(' ');
        if (space != 8 || !line.substring(0, 8).equals(checksum(line.substring(9)))) {
            return null;
        }
        try {
            return JSON.readTree(line.substring(9));
        } catch (IOException e) {
            return null;
        }
    }

    private static String checksum(String json) {
        CRC32C crc = new CRC32C();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private static ObjectNode entryRecord(OutboxEntry entry) {
        ObjectNode node = JSON.createObjectNode()
                .put("k", "entry")
                .put("deliveryId", entry.deliveryId())
                .put("subscription", entry.subscriptionId())
                .put("workflow", entry.workflowId().value())
                .put("sequence", entry.sequence())
                .put("event", entry.event())
                .put("payload", entry.payload())
                .put("createdAt", entry.createdAt().toString())
                .put("state", entry.state().wireName())
                .put("attempts", entry.attempts())
                .put("nextAttemptAt", entry.nextAttemptAt().toString())
                .put("lastStatus", entry.lastStatus());
        if (entry.lastAttemptAt() != null) {
            node.put("lastAttemptAt", entry.lastAttemptAt().toString());
        }
        if (entry.lastError() != null) {
            node.put("lastError", entry.lastError());
        }
        return node;
    }

    private static OutboxEntry entryOf(JsonNode node) {
        return new OutboxEntry(
                node.path("deliveryId").asText(),
                node.path("subscription").asText(),
                new WorkflowId(node.path("workflow").asText()),
                node.path("sequence").asLong(),
                node.path("event").asText(),
                node.path("payload").asText(),
                Instant.parse(node.path("createdAt").asText()),
                DeliveryState.fromWireName(node.path("state").asText()),
                node.path("attempts").asInt(),
                Instant.parse(node.path("nextAttemptAt").asText()),
                node.hasNonNull("lastAttemptAt")
                        ? Instant.parse(node.path("lastAttemptAt").asText())
                        : null,
                node.path("lastStatus").asInt(),
                node.hasNonNull("lastError") ? node.path("lastError").asText() : null);
    }

    private static ObjectNode cursorRecord(WorkflowId id, long sequence) {
        return JSON.createObjectNode()
                .put("k", "cursor")
                .put("workflow", id.value())
                .put("sequence", sequence);
    }

    private static ObjectNode registrationRecord(String subscriptionId, Instant at) {
        return JSON.createObjectNode()
                .put("k", "registered")
                .put("subscription", subscriptionId)
                .put("at", at.toString());
    }

    private static ObjectNode subscriptionRecord(String id, @Nullable String document) {
        return JSON.createObjectNode().put("k", "subscription").put("id", id).put("document", document);
    }
}
