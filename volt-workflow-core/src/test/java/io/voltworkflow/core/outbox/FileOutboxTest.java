package io.voltworkflow.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.internal.store.OutboxJournal;
import io.voltworkflow.core.store.FileWorkflowStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutboxTest extends DeliveryOutboxContractTest {
    @TempDir
    Path directory;

    private FileWorkflowStore store;

    @Override
    protected DeliveryOutbox outbox() {
        store = new FileWorkflowStore(directory);
        return store.outbox().orElseThrow();
    }

    @Override
    protected DeliveryOutbox reopen() {
        store.close();
        store = new FileWorkflowStore(directory);
        return store.outbox().orElseThrow();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aTornLastChangeIsCutOffAndTheRestKept() throws IOException {
        DeliveryOutbox outbox = outbox();
        outbox.enqueue(List.of(entry("d-1", 1, T0)), Map.of(WF, 1L));
        store.close();
        Files.writeString(
                directory.resolve(OutboxJournal.FILE_NAME),
                "0badc0de {\"k\":\"entry\",\"deliv",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        store = new FileWorkflowStore(directory);
        OutboxJournal reopened = (OutboxJournal) store.outbox().orElseThrow();
        assertThat(reopened.problems()).singleElement().asString().contains("torn last change cut off");
        assertThat(reopened.find("d-1")).isPresent();
        assertThat(reopened.cursor(WF)).isEqualTo(1);
    }

    @Test
    void aDamagedChangeInTheMiddleIsNamedAndTheJournalAsFoundIsKept() throws IOException {
        DeliveryOutbox outbox = outbox();
        outbox.enqueue(List.of(entry("d-1", 1, T0)), Map.of(WF, 1L));
        outbox.enqueue(List.of(entry("d-2", 2, T0)), Map.of(WF, 2L));
        store.close();
        Path journal = directory.resolve(OutboxJournal.FILE_NAME);
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        List<String> damaged = new java.util.ArrayList<>(lines);
        damaged.add(1, "garbage in the middle");
        Files.write(journal, damaged, StandardCharsets.UTF_8);

        store = new FileWorkflowStore(directory);
        OutboxJournal reopened = (OutboxJournal) store.outbox().orElseThrow();

        assertThat(reopened.problems())
                .anySatisfy(problem -> assertThat(problem).contains("line 2: damaged change skipped"))
                .anySatisfy(problem -> assertThat(problem).contains("kept as"));
        assertThat(reopened.find("d-1")).isPresent();
        assertThat(reopened.find("d-2")).isPresent();
        try (var files = Files.list(directory)) {
            Path kept = files.filter(f -> f.getFileName().toString().startsWith(OutboxJournal.FILE_NAME + ".damaged-"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Files.readAllLines(kept, StandardCharsets.UTF_8)).isEqualTo(damaged);
        }
    }

    @Test
    void aStoreWhoseOutboxIsNeverUsedHasNoJournal() {
        store = new FileWorkflowStore(directory);
        assertThat(directory.resolve(OutboxJournal.FILE_NAME)).doesNotExist();
    }
}
