package io.voltworkflow.core.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The crash child's witness of what it did, one synced line per fact, so the parent can judge the orchestrator
 * against what really happened: {@code CREATED gen workflow}, {@code START gen workflow step key attempt},
 * {@code DONE gen workflow step key attempt}. A line torn by a kill is ended before the next run writes.
 */
final class InvocationLog implements AutoCloseable {
    private final FileChannel channel;

    InvocationLog(Path file) throws IOException {
        boolean tornLine = endsInsideALine(file);
        channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (tornLine) {
            append("\n");
        }
    }

    private static boolean endsInsideALine(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return false;
        }
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, reader.size() - 1);
            return last.get(0) != '\n';
        }
    }

    synchronized void record(Entry entry) {
        append(entry.line() + "\n");
    }

    private void append(String text) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every whole line of the log; a torn last line is not an entry. */
    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Entry.parse(line).ifPresent(entries::add);
        }
        return entries;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    enum Kind {
        CREATED,
        START,
        DONE
    }

    /** {@code step}, {@code key} and {@code attempt} are empty/0 for {@link Kind#CREATED}. */
    record Entry(Kind kind, int generation, String workflow, String step, String key, int attempt) {
        String line() {
            return kind == Kind.CREATED
                    ? kind + " " + generation + " " + workflow
                    : String.join(
                            " ",
                            kind.name(),
                            Integer.toString(generation),
                            workflow,
                            step,
                            key,
                            Integer.toString(attempt));
        }

        static java.util.Optional<Entry> parse(String line) {
            String[] f = line.trim().split(" ");
            try {
                Kind kind = Kind.valueOf(f[0]);
                if (kind == Kind.CREATED && f.length == 3) {
                    return java.util.Optional.of(new Entry(kind, Integer.parseInt(f[1]), f[2], "", "", 0));
                }
                if (kind != Kind.CREATED && f.length == 6) {
                    return java.util.Optional.of(
                            new Entry(kind, Integer.parseInt(f[1]), f[2], f[3], f[4], Integer.parseInt(f[5])));
                }
            } catch (IllegalArgumentException e) {
                // A torn line: whatever it was, it was not acknowledged.
            }
            return java.util.Optional.empty();
        }
    }
}
