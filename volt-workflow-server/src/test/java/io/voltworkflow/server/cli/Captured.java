package io.voltworkflow.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Output captured in memory; {@link #await} waits for a pattern to appear. */
final class Captured {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(
            new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (Captured.this) {
                        bytes.write(b);
                        Captured.this.notifyAll();
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (Captured.this) {
                        bytes.write(b, off, len);
                        Captured.this.notifyAll();
                    }
                }
            },
            true,
            StandardCharsets.UTF_8);

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized Matcher await(String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Matcher matcher = pattern.matcher(text());
            if (matcher.find()) {
                return matcher;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("never printed /" + regex + "/ in:\n" + text());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
