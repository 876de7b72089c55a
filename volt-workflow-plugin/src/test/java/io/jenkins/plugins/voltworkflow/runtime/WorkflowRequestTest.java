package io.jenkins.plugins.voltworkflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.engine.EngineType;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowRequestTest {

    private static final EngineSpec OPENAI = EngineSpec.of("codegen", "openai", "https://llm", null, "key", null);

    @Test
    void stepEnginesWinThenGlobalDefaultsThenBuiltIns() {
        EngineSpec globalAnalysis = EngineSpec.of("analysis", "anthropic", "https://claude", null, "k2", null);
        EngineSpec globalCodegen = EngineSpec.of("codegen", "volt", "https://volt", null, null, null);

        WorkflowRequest request = WorkflowRequest.of(
                null,
                "Add login",
                Map.of(),
                List.of(OPENAI),
                List.of(globalAnalysis, globalCodegen),
                WorkflowLimits.DEFAULTS);

        assertThat(request.name()).isEqualTo("volt");
        assertThat(request.engine(EngineRole.ANALYSIS)).isEqualTo(globalAnalysis);
        assertThat(request.engine(EngineRole.CODEGEN)).isEqualTo(OPENAI);
        assertThat(request.engine(EngineRole.VALIDATION).type()).isEqualTo(EngineType.BUILTIN);
    }

    @Test
    void projectContextBecomesPlainData() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("framework", new StringBuilder("Express")); // a GString stands in for any CharSequence
        context.put("modules", Set.of("auth"));
        context.put("limits", Map.of("files", 3));

        Map<String, Object> copy = WorkflowRequest.of(
                        "web", "Add login", context, List.of(), List.of(), WorkflowLimits.DEFAULTS)
                .projectContext();

        assertThat(copy)
                .containsEntry("framework", "Express")
                .containsEntry("modules", List.of("auth"))
                .containsEntry("limits", Map.of("files", 3));
        assertThatThrownBy(() -> WorkflowRequest.of(
                        "web", "x", Map.of("when", new Object()), List.of(), List.of(), WorkflowLimits.DEFAULTS))
                .hasMessage("projectContext['when'] is a Object; use strings, numbers, booleans, lists and maps");
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(
                        () -> WorkflowRequest.of("volt", " ", Map.of(), List.of(), List.of(), WorkflowLimits.DEFAULTS))
                .hasMessageStartingWith("requirement is required");
        assertThatThrownBy(() -> WorkflowRequest.of(
                        "volt", "x".repeat(100_001), Map.of(), List.of(), List.of(), WorkflowLimits.DEFAULTS))
                .hasMessage("requirement is 100001 characters; at most 100000 are allowed");
        assertThatThrownBy(() ->
                        WorkflowRequest.of("my workflow", "x", Map.of(), List.of(), List.of(), WorkflowLimits.DEFAULTS))
                .hasMessageStartingWith("workflow name 'my workflow' must be");
        assertThatThrownBy(() -> WorkflowRequest.of(
                        "volt", "x", Map.of(), List.of(OPENAI, OPENAI), List.of(), WorkflowLimits.DEFAULTS))
                .hasMessage("two engines configured for the codegen role; configure one per role");
    }

    @Test
    void survivesJavaSerializationAsPipelineStateDoes() throws Exception {
        WorkflowRequest request = WorkflowRequest.of(
                "volt",
                "Add login",
                Map.of("a", List.of(1, 2)),
                List.of(OPENAI),
                List.of(),
                WorkflowLimits.builder(WorkflowLimits.DEFAULTS).budgetUsd(3.0).build());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(request);
            out.writeObject(Milestone.codegen("tokens"));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(request);
            assertThat(in.readObject()).isEqualTo(Milestone.codegen("tokens"));
        }
    }

    @Test
    void workflowIdsAreDerivedFromTheBuildAndValid() {
        assertThat(WorkflowIds.forBuild("team/app", 42, "volt"))
                .isEqualTo(WorkflowIds.forBuild("team/app", 42, "volt"));
        assertThat(WorkflowIds.forBuild("team/app", 42, "volt").value()).startsWith("jenkins-team-app-42-volt-");
        assertThat(WorkflowIds.forBuild("team/app", 42, "volt"))
                .isNotEqualTo(WorkflowIds.forBuild("team_app", 42, "volt"));
        assertThat(WorkflowIds.forBuild("Ünïcode ✓ " + "long".repeat(40), 1, "volt")
                        .value())
                .hasSizeLessThanOrEqualTo(128);
    }
}
