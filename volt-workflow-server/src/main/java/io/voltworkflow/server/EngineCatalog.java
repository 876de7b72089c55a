package io.voltworkflow.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.model.WorkflowOptions;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The engines a server's host configured, as the API shows and changes them: the profiles a workflow may name, a
 * live check of every engine ({@code GET /api/v1/engines}), and a reload of the configuration
 * ({@code POST /api/v1/admin/reload}) that leaves running workflows running.
 */
public interface EngineCatalog {
    /** The label a workflow's engine profile is kept in. */
    String PROFILE_LABEL = "engine-profile";

    Set<String> profileNames();

    String defaultProfile();

    /**
     * The options a workflow gets on {@code profile} ({@code null}: the default): the profile recorded in its labels,
     * so it keeps its engines across restarts and reloads, and the profile's budget when the workflow sets none.
     * Throws {@link IllegalArgumentException} listing the profiles when there is no such profile.
     */
    WorkflowOptions apply(@Nullable String profile, WorkflowOptions options);

    /** One minimal request per configured engine; the JSON shape is {@code EngineReport} in the OpenAPI document. */
    JsonNode check();

    /**
     * Reads the configuration again and swaps the engines in for new calls. Throws {@link IllegalArgumentException}
     * naming the problem, and then keeps the engines it had. Returns a one-line summary.
     */
    String reload();
}
