package io.voltworkflow.engines.delivery.git;

import java.util.Map;
import java.util.Objects;

/** Who delivery commits as (author and committer), independent of the repository's or the user's git configuration. */
public record GitIdentity(String name, String email) {
    public static final GitIdentity DEFAULT = new GitIdentity("Volt Workflow", "volt-workflow@localhost");

    public GitIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        if (name.isBlank() || email.isBlank() || name.contains("\n") || email.contains("\n") || email.contains(">")) {
            throw new IllegalArgumentException(
                    "a git identity needs a one-line name and e-mail address, got '" + name + "' <" + email + ">");
        }
    }

    Map<String, String> environment() {
        return Map.of(
                "GIT_AUTHOR_NAME",
                name,
                "GIT_AUTHOR_EMAIL",
                email,
                "GIT_COMMITTER_NAME",
                name,
                "GIT_COMMITTER_EMAIL",
                email);
    }
}
