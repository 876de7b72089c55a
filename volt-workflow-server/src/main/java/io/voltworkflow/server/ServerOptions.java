package io.voltworkflow.server;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of the HTTP server. Defaults are safe for a workstation: loopback only, CORS off, 1 MiB
 * request bodies. With no token configured the API is open, which is why {@code serve} creates one by default.
 */
public final class ServerOptions {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final int DEFAULT_STREAM_QUEUE_CAPACITY = 256;

    private final String bindAddress;
    private final int port;
    private final List<AccessToken> tokens;
    private final int maxRequestBytes;
    private final Set<String> corsAllowedOrigins;
    private final int streamQueueCapacity;
    private final Duration streamIdleTimeout;
    private final Duration shutdownTimeout;
    private final boolean uiEnabled;
    private final boolean mcpEnabled;
    private final @Nullable EngineCatalog engines;
    private final io.voltworkflow.server.webhooks.@Nullable Webhooks webhooks;

    private ServerOptions(Builder b) {
        this.webhooks = b.webhooks;
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.tokens = List.copyOf(b.tokens);
        this.engines = b.engines;
        this.maxRequestBytes = b.maxRequestBytes;
        this.corsAllowedOrigins = Set.copyOf(b.corsAllowedOrigins);
        this.streamQueueCapacity = b.streamQueueCapacity;
        this.streamIdleTimeout = b.streamIdleTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.uiEnabled = b.uiEnabled;
        this.mcpEnabled = b.mcpEnabled;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ServerOptions defaults() {
        return builder().build();
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** {@code 0} picks a free port; {@link CicdServer#port()} tells which. */
    public int port() {
        return port;
    }

    /** Empty: authentication is off. */
    /** The host's configured engines, shown and reloaded through the API; {@code null} for fixed engines. */
    public @Nullable EngineCatalog engines() {
        return engines;
    }

    /** The host's webhooks, managed through {@code /api/v1/webhooks}; {@code null} when it sends none. */
    public io.voltworkflow.server.webhooks.@Nullable Webhooks webhooks() {
        return webhooks;
    }

    public List<AccessToken> tokens() {
        return tokens;
    }

    public boolean authenticationEnabled() {
        return !tokens.isEmpty();
    }

    /** Larger request bodies are refused with 413 before they are read. */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /** Origins allowed to call the API from a browser page; empty: CORS off. */
    public Set<String> corsAllowedOrigins() {
        return corsAllowedOrigins;
    }

    /** Events buffered per WebSocket connection before it is fed from the store instead. */
    public int streamQueueCapacity() {
        return streamQueueCapacity;
    }

    public Duration streamIdleTimeout() {
        return streamIdleTimeout;
    }

    /** How long shutdown waits for requests in flight before closing the orchestrator. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public boolean uiEnabled() {
        return uiEnabled;
    }

    public boolean mcpEnabled() {
        return mcpEnabled;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.port = port;
        b.tokens = List.copyOf(tokens);
        b.engines = engines;
        b.webhooks = webhooks;
        b.maxRequestBytes = maxRequestBytes;
        b.corsAllowedOrigins = new LinkedHashSet<>(corsAllowedOrigins);
        b.streamQueueCapacity = streamQueueCapacity;
        b.streamIdleTimeout = streamIdleTimeout;
        b.shutdownTimeout = shutdownTimeout;
        b.uiEnabled = uiEnabled;
        b.mcpEnabled = mcpEnabled;
        return b;
    }

    @Override
    public String toString() {
        return "ServerOptions[" + bindAddress + ":" + port + ", tokens=" + tokens.size() + ", maxRequestBytes="
                + maxRequestBytes + ", cors=" + corsAllowedOrigins + "]";
    }

    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private List<AccessToken> tokens = List.of();
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Set<String> corsAllowedOrigins = new LinkedHashSet<>();
        private int streamQueueCapacity = DEFAULT_STREAM_QUEUE_CAPACITY;
        private Duration streamIdleTimeout = Duration.ofMinutes(10);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private boolean uiEnabled = true;
        private boolean mcpEnabled = true;
        private @Nullable EngineCatalog engines;
        private io.voltworkflow.server.webhooks.@Nullable Webhooks webhooks;

        private Builder() {}

        public Builder bindAddress(String value) {
            Objects.requireNonNull(value, "bindAddress");
            if (value.isBlank()) {
                throw new IllegalArgumentException("bindAddress must not be blank");
            }
            this.bindAddress = value;
            return this;
        }

        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + value);
            }
            this.port = value;
            return this;
        }

        /** Engine profiles workflows may name, {@code GET /api/v1/engines} and {@code POST /api/v1/admin/reload}. */
        public Builder engines(@Nullable EngineCatalog value) {
            this.engines = value;
            return this;
        }

        public Builder webhooks(io.voltworkflow.server.webhooks.@Nullable Webhooks value) {
            this.webhooks = value;
            return this;
        }

        public Builder tokens(List<AccessToken> value) {
            this.tokens = List.copyOf(Objects.requireNonNull(value, "tokens"));
            return this;
        }

        public Builder maxRequestBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxRequestBytes must be at least 1024, was " + value);
            }
            this.maxRequestBytes = value;
            return this;
        }

        /** Each origin is {@code scheme://host[:port]}, as browsers send it. */
        public Builder corsAllowedOrigins(Set<String> value) {
            Set<String> origins = new LinkedHashSet<>();
            for (String origin : Objects.requireNonNull(value, "corsAllowedOrigins")) {
                origins.add(validOrigin(origin));
            }
            this.corsAllowedOrigins = origins;
            return this;
        }

        public Builder streamQueueCapacity(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("streamQueueCapacity must be at least 1, was " + value);
            }
            this.streamQueueCapacity = value;
            return this;
        }

        public Builder streamIdleTimeout(Duration value) {
            this.streamIdleTimeout = positive("streamIdleTimeout", value);
            return this;
        }

        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = positive("shutdownTimeout", value);
            return this;
        }

        public Builder uiEnabled(boolean value) {
            this.uiEnabled = value;
            return this;
        }

        public Builder mcpEnabled(boolean value) {
            this.mcpEnabled = value;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(this);
        }

        private static String validOrigin(String origin) {
            try {
                URI uri = new URI(origin);
                boolean bare = uri.getScheme() != null
                        && uri.getHost() != null
                        && (uri.getPath() == null || uri.getPath().isEmpty())
                        && uri.getQuery() == null
                        && uri.getFragment() == null
                        && uri.getUserInfo() == null;
                if (bare && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    return origin;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            throw new IllegalArgumentException("CORS origin '" + origin + "' must look like https://host[:port]");
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
