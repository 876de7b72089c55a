package io.voltworkflow.store.postgres.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether PostgreSQL answers, for readiness probes and for failing work fast during an outage. A check opens its
 * own connection with a short timeout rather than borrowing from the pool, whose borrowers wait up to the connect
 * timeout when the server is down. Asking never waits: it returns the last result and, when that is older than
 * {@link #REFRESH}, starts the next check in the background.
 */
public final class AvailabilityProbe {
    static final Duration REFRESH = Duration.ofSeconds(1);
    private static final int TIMEOUT_SECONDS = 5;

    private final String jdbcUrl;
    private final Properties credentials;
    private final String safeUrl;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile Optional<String> unavailability = Optional.empty();
    private volatile long checkedAtNanos = System.nanoTime();

    public AvailabilityProbe(String jdbcUrl, String user, String password, String safeUrl) {
        this.jdbcUrl = jdbcUrl;
        this.safeUrl = safeUrl;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        credentials.setProperty("connectTimeout", String.valueOf(TIMEOUT_SECONDS));
        credentials.setProperty("socketTimeout", String.valueOf(TIMEOUT_SECONDS));
        credentials.setProperty("loginTimeout", String.valueOf(TIMEOUT_SECONDS));
        credentials.setProperty("ApplicationName", "volt-workflow/availability");
    }

    /** Why the database cannot be used, as of the last check; empty when it answered. */
    public Optional<String> unavailability() {
        if (System.nanoTime() - checkedAtNanos > REFRESH.toNanos() && checking.compareAndSet(false, true)) {
            Thread check = new Thread(this::check, "volt-pg-availability");
            check.setDaemon(true);
            check.start();
        }
        return unavailability;
    }

    private void check() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, credentials)) {
            unavailability = connection.isValid(TIMEOUT_SECONDS)
                    ? Optional.empty()
                    : Optional.of("PostgreSQL at " + safeUrl + " does not answer");
        } catch (SQLException e) {
            unavailability = Optional.of("cannot reach PostgreSQL at " + safeUrl + ": " + e.getMessage());
        } finally {
            checkedAtNanos = System.nanoTime();
            checking.set(false);
        }
    }
}
