package io.jenkins.plugins.voltworkflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.voltworkflow.credentials.EngineAuth;
import io.jenkins.plugins.voltworkflow.credentials.EngineSecret;
import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import io.jenkins.plugins.voltworkflow.workspace.AgentValidationEngine;
import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.engine.Engines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardEngineFactoryTest {

    private final SecretMask mask = new SecretMask();
    private final StandardEngineFactory factory = new StandardEngineFactory(id -> switch (id) {
        case "anthropic-key" -> new EngineSecret.Token("sk-ant-secret-value");
        default -> throw new IllegalArgumentException("no credentials with id '" + id + "' are available to this build");
    }, mask);

    private static WorkflowRequest request(EngineSpec... engines) {
        return WorkflowRequest.of("volt", "Add login", Map.of(), List.of(engines), List.of(), WorkflowLimits.DEFAULTS);
    }

    @Test
    void aWrongCredentialsIdFailsBeforeAnythingRuns() {
        assertThatThrownBy(() -> factory.create(request(EngineSpec.of("codegen", "openai", "https://llm", null, "typo", null)),
                new WorkspaceBroker())).hasMessage("no credentials with id 'typo' are available to this build");
    }

    @Test
    void resolvedSecretsAreMappedAndJoinTheMask() {
        EngineSpec anthropic = EngineSpec.of("analysis", "anthropic", "https://api", null, "anthropic-key", null);

        EngineAuth auth = factory.authFor(anthropic).get();

        assertThat(auth).isEqualTo(new EngineAuth.ApiKeyHeader("x-api-key", "sk-ant-secret-value"));
        assertThat(mask.mask("echo sk-ant-secret-value")).isEqualTo("echo ****");
        assertThat(factory.authFor(EngineSpec.builtin(EngineRole.CODEGEN)).get())
                .isEqualTo(new EngineAuth.None());
    }

    @Test
    void aCommandValidationRunsInTheLentWorkspace() {
        Engines engines = factory.create(request(EngineSpec.of("validation", "command", null, null, null, "mvn -B verify")),
                new WorkspaceBroker());

        assertThat(engines.validation()).get().isInstanceOf(AgentValidationEngine.class);
    }
}
