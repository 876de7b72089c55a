package io.voltworkflow.engines.delivery;

import java.util.Objects;

/**
 * An open pull (or merge) request: its forge-side {@code id} (number, iid), the page people review it on, whether it
 * is a draft, and the {@code version} Bitbucket Data Center requires on updates (0 elsewhere).
 */
public record PullRequest(String id, String url, boolean draft, long version) {
    public PullRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
    }
}
