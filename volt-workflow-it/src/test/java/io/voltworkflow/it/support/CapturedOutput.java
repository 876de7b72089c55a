package io.voltworkflow.it.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything the process writes while it is open: stdout and stderr (still shown), and every java.util.logging
 * record at every level (System.Logger's default backend), formatted with its parameters and stack trace. Open it
 * before the code under test creates its loggers: some backends keep the stream they found first.
 */
public final class CapturedOutput implements AutoCloseable {
    private final ByteArrayOutputStream streams = new ByteArrayOutputStream();

    @SuppressWarnings("JdkObsolete") // appended by whichever thread logs, read by the test thread
    private final StringBuffer logs = new StringBuffer();

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final Logger root = Logger.getLogger("");
    private final Level originalLevel = root.getLevel();
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logs.append(formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private CapturedOutput() {
        System.setOut(new PrintStream(tee(originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(originalErr), true, StandardCharsets.UTF_8));
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.ALL);
    }

    public static CapturedOutput start() {
        return new CapturedOutput();
    }

    /** Everything captured so far: stdout and stderr, then the log records. */
    public String text() {
        synchronized (streams) {
            return streams.toString(StandardCharsets.UTF_8) + logs;
        }
    }

    public int logRecords() {
        return (int) logs.chars().filter(c -> c == '\n').count();
    }

    private OutputStream tee(PrintStream original) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (streams) {
                    streams.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (streams) {
                    streams.write(bytes, offset, length);
                }
                original.write(bytes, offset, length);
            }
        };
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        root.setLevel(originalLevel);
        System.setOut(originalOut);
        System.setErr(originalErr);
    }
}
