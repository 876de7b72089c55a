package io.voltworkflow.engines.delivery;

import java.util.List;
import java.util.Objects;

/** What a pull request should say: from {@code head} into {@code base}, as a draft or ready, with labels. */
public record PullRequestSpec(String head, String base, String title, String body, boolean draft, List<String> labels) {
    public PullRequestSpec {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(title, "title");
        body = body == null ? "" : body;
        labels = List.copyOf(labels == null ? List.of() : labels);
    }
}
