package io.voltworkflow.store.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Immutable configuration of a {@link PostgresWorkflowStore}. Build with {@link #builder(String)}; every value is
 * validated and a bad one is named in the error. The password never appears in {@link #toString()} or in errors.
 */
public final class PostgresStoreOptions {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String schema;
    private final int maxPoolSize;
    private final int maxBatchRecords;
    private final int fetchSize;
    private final Duration connectTimeout;

    private PostgresStoreOptions(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.user = b.user;
        this.password = b.password;
        this.schema = b.schema;
        this.maxPoolSize = b.maxPoolSize;
        this.maxBatchRecords = b.maxBatchRecords;
        this.fetchSize = b.fetchSize;
        this.connectTimeout = b.connectTimeout;
    }

    /** {@code jdbcUrl}: {@code jdbc:postgresql://host:port/database}. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /**
     * A builder preset from the environment, for hosts that take the URL on their command line and credentials from
     * the environment: {@code VOLT_WORKFLOW_PG_USER}, {@code VOLT_WORKFLOW_PG_PASSWORD}, {@code VOLT_WORKFLOW_PG_SCHEMA},
     * {@code VOLT_WORKFLOW_PG_POOL_SIZE} (unset ones keep their defaults). All bad values are reported together, each
     * by its variable's name.
     */
    public static Builder fromEnvironment(String jdbcUrl, Map<String, String> env) {
        Builder builder = builder(jdbcUrl);
        List<String> problems = new ArrayList<>();
        setting(env, "VOLT_WORKFLOW_PG_USER", builder::user, problems);
        setting(env, "VOLT_WORKFLOW_PG_SCHEMA", builder::schema, problems);
        setting(
                env,
                "VOLT_WORKFLOW_PG_POOL_SIZE",
                value -> {
                    try {
                        builder.maxPoolSize(Integer.parseInt(value));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + value + "' is not a whole number", e);
                    }
                },
                problems);
        String password = env.get("VOLT_WORKFLOW_PG_PASSWORD");
        if (password != null) {
            builder.password(password);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid PostgreSQL store configuration: " + String.join("; ", problems));
        }
        return builder;
    }

    private static void setting(Map<String, String> env, String name, Consumer<String> apply, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            apply.accept(value.trim());
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage());
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The URL without its query string, which may carry credentials: what errors and logs show. */
    public String safeJdbcUrl() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** The schema holding the store's tables; created on open. Several stores can share a database this way. */
    public String schema() {
        return schema;
    }

    /** Connections the store may hold: one for the writer, the rest for reads and leases. */
    public int maxPoolSize() {
        return maxPoolSize;
    }

    /** Most records written in one group-commit transaction. */
    public int maxBatchRecords() {
        return maxBatchRecords;
    }

    /** Rows fetched per round trip when replaying or verifying, so the heap holds a window, not the log. */
    public int fetchSize() {
        return fetchSize;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public String toString() {
        return "PostgresStoreOptions[url=" + safeJdbcUrl() + ", user=" + user + ", schema=" + schema + ", maxPoolSize="
                + maxPoolSize + ", maxBatchRecords=" + maxBatchRecords + ", fetchSize=" + fetchSize
                + ", connectTimeout="
                + connectTimeout + "]";
    }

    public static final class Builder {
        private final String jdbcUrl;
        private String user = "volt";
        private String password = "";
        private String schema = "volt";
        private int maxPoolSize = 8;
        private int maxBatchRecords = 2000;
        private int fetchSize = 1000;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(
                        "jdbcUrl must start with 'jdbc:postgresql:', was '" + jdbcUrl.split("\\?", 2)[0] + "'");
            }
            this.jdbcUrl = jdbcUrl;
        }

        public Builder user(String value) {
            Objects.requireNonNull(value, "user");
            if (value.isBlank()) {
                throw new IllegalArgumentException("user must not be blank");
            }
            this.user = value;
            return this;
        }

        public Builder password(String value) {
            this.password = Objects.requireNonNull(value, "password");
            return this;
        }

        /** Lower-case letters, digits and '_', starting with a letter or '_', at most 63 characters. */
        public Builder schema(String value) {
            Objects.requireNonNull(value, "schema");
            if (!SCHEMA.matcher(value).matches()) {
                throw new IllegalArgumentException("schema '" + value
                        + "' must be 1-63 lower-case letters, digits or '_', not starting with a digit");
            }
            this.schema = value;
            return this;
        }

        public Builder maxPoolSize(int value) {
            if (value < 2) {
                throw new IllegalArgumentException(
                        "maxPoolSize must be at least 2 (a writer and a reader), was " + value);
            }
            this.maxPoolSize = value;
            return this;
        }

        public Builder maxBatchRecords(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxBatchRecords must be at least 1, was " + value);
            }
            this.maxBatchRecords = value;
            return this;
        }

        public Builder fetchSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("fetchSize must be at least 1, was " + value);
            }
            this.fetchSize = value;
            return this;
        }

        /** How long opening a connection may take (Hikari's minimum is 250 ms). */
        public Builder connectTimeout(Duration value) {
            Objects.requireNonNull(value, "connectTimeout");
            if (value.compareTo(Duration.ofMillis(250)) < 0) {
                throw new IllegalArgumentException("connectTimeout must be at least 250 ms, was " + value);
            }
            this.connectTimeout = value;
            return this;
        }

        public PostgresStoreOptions build() {
            return new PostgresStoreOptions(this);
        }
    }
}
