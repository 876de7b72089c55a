package io.voltworkflow.engines.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Process facts for tests, read from the OS. */
public final class Processes {
    private Processes() {}

    /** Running, i.e. alive and not a zombie waiting to be reaped by whichever process inherited it. */
    public static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            char state = text.charAt(text.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }

    /** Waits (bounded) for {@code pid} to stop running. */
    public static boolean awaitGone(long pid, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        return true;
    }

    /** Waits (bounded) for a file a child process writes, and returns its content. */
    public static String awaitFile(Path file, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Files.exists(file) || Files.readString(file).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " was not written within " + limit);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        return Files.readString(file).strip();
    }
}
