package io.voltworkflow.server.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store provider may use to open its store: the host's data directory (file stores keep their files under
 * it), an optional location given with {@code --store-url} (e.g. a JDBC URL), and the environment (for credentials,
 * which providers must never log or echo in errors).
 */
public record StoreSettings(Path dataDirectory, Optional<String> url, Map<String, String> environment) {
    public StoreSettings {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(url, "url");
        environment = Map.copyOf(environment);
    }

    @Override
    public String toString() {
        return "StoreSettings[" + dataDirectory + (url.isPresent() ? ", url given" : "") + "]";
    }
}
