package io.voltworkflow.engines.delivery.forges;

import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.delivery.Forge;
import io.voltworkflow.engines.delivery.ForgeCalls;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.engines.http.HttpTransport;
import java.util.Objects;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/** Builds a forge adapter on the host's HTTP transport. */
public final class Forges {
    private Forges() {}

    /**
     * The adapter of {@code kind} for {@code repository}, calling {@code apiUrl} (the kind's public API when null) with
     * the token from {@code credentials}.
     */
    public static Forge create(
            ForgeKind kind,
            @Nullable String apiUrl,
            String repository,
            HttpTransport transport,
            HttpOptions options,
            CredentialSource credentials) {
        Objects.requireNonNull(kind, "kind");
        String api = apiUrl != null
                ? apiUrl
                : kind.publicApi()
                        .orElseThrow(() -> new IllegalArgumentException("forge '" + kind.id()
                                + "' is self-hosted: give its API URL (e.g. https://HOST/api/v1 for Gitea, https://HOST "
                                + "for Bitbucket Data Center)"));
        HttpUrl url = HttpUrl.parse(api);
        if (url == null) {
            throw new IllegalArgumentException(
                    "the API URL of forge '" + kind.id() + "' is not an http(s) URL: '" + api + "'");
        }
        return kind.adapter(
                new ForgeCalls(transport.endpoint(kind.id(), options, credentials, kind.headers()), url), repository);
    }
}
