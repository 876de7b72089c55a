package io.voltworkflow.server.internal.http;

import io.voltworkflow.core.model.WorkflowOptions;
import io.voltworkflow.server.EngineCatalog;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A workflow's engine profile as a request names it (REST, MCP): only the name of a profile the server configured,
 * never a URL or a secret, so callers choose among engines the operator set up and nothing else. A well-formed name
 * the server does not have is 422 {@code UNKNOWN_ENGINE_PROFILE}: the request is fine, this server cannot serve it.
 */
public final class EngineProfileChoice {
    private EngineProfileChoice() {}

    /** {@code options} on the chosen profile (the default when {@code profile} is {@code null}); refusals name {@code field}. */
    public static WorkflowOptions apply(
            @Nullable EngineCatalog engines, @Nullable String profile, WorkflowOptions options, String field) {
        if (engines == null) {
            if (profile != null) {
                throw unknown(field, "this server has no engine profiles; leave '" + field + "' out");
            }
            return options;
        }
        if (profile != null && !engines.profileNames().contains(profile)) {
            throw unknown(
                    field,
                    "no engine profile named '" + profile + "'; this server has "
                            + new TreeSet<>(engines.profileNames()));
        }
        return engines.apply(profile, options);
    }

    private static ApiError.Failure unknown(String field, String message) {
        return new ApiError.Failure(new ApiError(422, ApiError.UNKNOWN_ENGINE_PROFILE, message, field));
    }
}
