package io.jenkins.plugins.voltworkflow.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Passes a command's output through to the build log and remembers its last lines, which become the findings of
 * a failed validation.
 */
public final class OutputTail extends OutputStream {

    static final int MAX_LINE_BYTES = 4096;

    private final OutputStream log;
    private final int keep;
    private final Deque<String> lines = new ArrayDeque<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    public OutputTail(OutputStream log, int keep) {
        this.log = log;
        this.keep = keep;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        log.write(b);
        if (b == '\n') {
            endLine();
        } else if (current.size() < MAX_LINE_BYTES) {
            current.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        log.write(bytes, offset, length);
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                endLine();
            } else if (current.size() < MAX_LINE_BYTES) {
                current.write(bytes[i]);
            }
        }
    }

    private void endLine() {
        String line = current.toString(StandardCharsets.UTF_8);
        current.reset();
        lines.addLast(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        while (lines.size() > keep) {
            lines.removeFirst();
        }
    }

    @Override
    public void flush() throws IOException {
        log.flush();
    }

    /** The last lines, including an unfinished last one. */
    public synchronized List<String> lastLines() {
        Deque<String> all = new ArrayDeque<>(lines);
        if (current.size() > 0) {
            all.addLast(current.toString(StandardCharsets.UTF_8));
            if (all.size() > keep) {
                all.removeFirst();
            }
        }
        return List.copyOf(all);
    }
}
