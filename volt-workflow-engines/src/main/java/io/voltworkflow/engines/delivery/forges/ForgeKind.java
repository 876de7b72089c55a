package io.voltworkflow.engines.delivery.forges;

import io.voltworkflow.engines.delivery.Forge;
import io.voltworkflow.engines.delivery.ForgeCalls;
import io.voltworkflow.engines.delivery.bitbucket.BitbucketCloudForge;
import io.voltworkflow.engines.delivery.bitbucket.BitbucketDataCenterForge;
import io.voltworkflow.engines.delivery.gitea.GiteaForge;
import io.voltworkflow.engines.delivery.github.GitHubForge;
import io.voltworkflow.engines.delivery.gitlab.GitLabForge;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/** The forges delivery opens pull requests on, by their configuration id, with their public API where there is one. */
@SuppressWarnings("ImmutableEnumChecker") // Map.of is unmodifiable and the adapters are constructor references
public enum ForgeKind {
    GITHUB("github", GitHubForge.PUBLIC_API, GitHubForge.HEADERS, true, GitHubForge::new),
    GITLAB("gitlab", GitLabForge.PUBLIC_API, Map.of(), true, GitLabForge::new),
    BITBUCKET("bitbucket", BitbucketCloudForge.PUBLIC_API, Map.of(), false, BitbucketCloudForge::new),
    BITBUCKET_DATA_CENTER("bitbucket-datacenter", null, Map.of(), false, BitbucketDataCenterForge::new),
    GITEA("gitea", null, Map.of(), true, GiteaForge::new);

    private final String id;
    private final @Nullable String publicApi;
    private final Map<String, String> headers;
    private final boolean labels;
    private final BiFunction<ForgeCalls, String, Forge> adapter;

    ForgeKind(
            String id,
            @Nullable String publicApi,
            Map<String, String> headers,
            boolean labels,
            BiFunction<ForgeCalls, String, Forge> adapter) {
        this.id = id;
        this.publicApi = publicApi;
        this.headers = headers;
        this.labels = labels;
        this.adapter = adapter;
    }

    public String id() {
        return id;
    }

    /** The API base URL of the public service; empty for forges that are only self-hosted. */
    public Optional<String> publicApi() {
        return Optional.ofNullable(publicApi);
    }

    /** Headers every call to this forge carries (no secrets). */
    public Map<String, String> headers() {
        return headers;
    }

    /** Whether this forge's pull requests take labels (Bitbucket's have none). */
    public boolean hasLabels() {
        return labels;
    }

    Forge adapter(ForgeCalls calls, String repository) {
        return adapter.apply(calls, repository);
    }

    /** The kind named {@code id} ({@code forgejo} is Gitea's API); the error lists the known ids. */
    public static ForgeKind of(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("forgejo")) {
            return GITEA;
        }
        return Arrays.stream(values())
                .filter(kind -> kind.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown forge '" + id + "'; known: "
                        + String.join(
                                ", ", Arrays.stream(values()).map(ForgeKind::id).toList()) + ", forgejo"));
    }
}
