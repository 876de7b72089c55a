package io.voltworkflow.engines.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A command engine's process: the program and its arguments (no shell unless you name one), working directory,
 * extra environment, how long it may run and how much JSON it may print.
 */
public record CommandOptions(
        List<String> command,
        @Nullable Path directory,
        Map<String, String> environment,
        Duration timeout,
        long maxOutputBytes) {

    public CommandOptions {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("a command engine needs a program to run");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxOutputBytes < 1) {
            throw new IllegalArgumentException("maxOutputBytes must be at least 1, was " + maxOutputBytes);
        }
    }

    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    public static final class Builder {
        private final List<String> command;
        private @Nullable Path directory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration timeout = Duration.ofMinutes(30);
        private long maxOutputBytes = 8L * 1024 * 1024;

        private Builder(List<String> command) {
            this.command = command;
        }

        public Builder directory(@Nullable Path directory) {
            this.directory = directory;
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment.putAll(environment);
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder maxOutputBytes(long maxOutputBytes) {
            this.maxOutputBytes = maxOutputBytes;
            return this;
        }

        public CommandOptions build() {
            return new CommandOptions(command, directory, environment, timeout, maxOutputBytes);
        }
    }
}
