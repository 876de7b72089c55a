package io.voltworkflow.server.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.WorkflowState;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.status.WorkflowStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Listing workflows, for the REST API and the MCP tools alike: filters from their wire form (state names,
 * {@code name=value} labels) and one page as {@code {"workflows","offset","limit","nextOffset"}}.
 */
public final class WorkflowListing {
    public static final int DEFAULT_PAGE = 100;
    private static final ObjectMapper JSON = WorkflowJson.mapper();

    private WorkflowListing() {}

    /** The query; a bad filter is refused naming {@code state} or {@code label}. */
    public static WorkflowQuery query(List<String> stateNames, @Nullable String label, int offset, int limit) {
        Set<WorkflowState> states = EnumSet.noneOf(WorkflowState.class);
        for (String state : stateNames) {
            try {
                states.add(WorkflowState.fromWireName(state));
            } catch (IllegalArgumentException e) {
                throw new ApiError.Failure(
                        ApiError.invalid(
                                "state",
                                "unknown state '" + state
                                        + "' (expected created, initialized, running, paused, completed, failed or cancelled)"));
            }
        }
        if (label == null) {
            return new WorkflowQuery(states, null, null, offset, limit);
        }
        int separator = label.indexOf('=');
        if (separator < 0) {
            throw new ApiError.Failure(ApiError.invalid("label", "'label' must look like name=value"));
        }
        return new WorkflowQuery(states, label.substring(0, separator), label.substring(separator + 1), offset, limit);
    }

    /** One page; {@code nextOffset} is null on the last. */
    public static ObjectNode page(WorkflowOrchestrator orchestrator, WorkflowQuery query) {
        List<WorkflowStatus> page = orchestrator.listWorkflows(query);
        ObjectNode body = JSON.createObjectNode();
        body.set("workflows", JSON.valueToTree(page));
        body.put("offset", query.offset());
        body.put("limit", query.limit());
        if (page.size() == query.limit()) {
            body.put("nextOffset", query.offset() + query.limit());
        } else {
            body.putNull("nextOffset");
        }
        return body;
    }
}
