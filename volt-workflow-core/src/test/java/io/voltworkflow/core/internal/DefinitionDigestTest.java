package io.voltworkflow.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.model.RetryPolicy;
import io.voltworkflow.core.model.StepDefinition;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.WorkflowDefinition;
import io.voltworkflow.core.model.WorkflowOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionDigestTest {
    private static final String CONTEXT = "{\"zeta\":[1,2.5,-3e-7,12345678901234567890,1.0E10,true,false,null],"
            + "\"alpha\":{\"b\":\"x\",\"a\":\"\\u007f\\u0000 \\u001f\\u2028\"},\"big\":0.1000000000000000055511151231257827}";
    private static final String INPUT = "{\"k\":\"v \\\"q\\\" \\\\ / \\t\\n\\r\\b\\f\",\"n\":-0.0,"
            + "\"list\":[{\"q\":1},[],{}],\"emoji\":\"\\ud83d\\ude00 ünï\"}";

    /**
     * Digests are stored in events and snapshots and compared with the digest of a retried create, so the same
     * definition must digest to the same value in every version: this value was computed by the first implementation.
     */
    @Test
    void theDigestOfADefinitionNeverChanges() throws Exception {
        assertThat(DefinitionDigest.of(definition(CONTEXT)))
                .isEqualTo("6e3e47ea7d3ebb4d2a4b891b6e58e3d819a82bc311695582f4bac52c63b62fec");
    }

    @Test
    void aRepairPolicyOtherThanTheDefaultIsPartOfTheDigest() throws Exception {
        WorkflowDefinition standard = definition(CONTEXT);
        WorkflowDefinition noRepair = new WorkflowDefinition(
                standard.requirementText(),
                standard.projectContext(),
                standard.steps(),
                WorkflowOptions.builder().maxRepairRounds(0).build());
        assertThat(DefinitionDigest.of(noRepair)).isNotEqualTo(DefinitionDigest.of(standard));
    }

    @Test
    void keyOrderInTheProjectContextDoesNotMatter() throws Exception {
        String reordered = "{\"big\":0.1000000000000000055511151231257827,"
                + "\"alpha\":{\"a\":\"\\u007f\\u0000 \\u001f\\u2028\",\"b\":\"x\"},"
                + "\"zeta\":[1,2.5,-3e-7,12345678901234567890,1.0E10,true,false,null]}";
        assertThat(DefinitionDigest.of(definition(reordered))).isEqualTo(DefinitionDigest.of(definition(CONTEXT)));
    }

    private static WorkflowDefinition definition(String context) throws Exception {
        JsonNode input = WorkflowJson.mapper().readTree(INPUT);
        return new WorkflowDefinition(
                "Build a \"REST\" API — ünïcode \u0001\t\n \\ / \uD83D\uDE00",
                WorkflowJson.mapper().readTree(context),
                List.of(
                        new StepDefinition("a", StepType.ANALYSIS, List.of(), input, Duration.ofSeconds(30), null),
                        new StepDefinition(
                                "b", StepType.of("custom_x"), List.of("a"), null, null, RetryPolicy.NO_RETRY)),
                WorkflowOptions.DEFAULTS);
    }
}
