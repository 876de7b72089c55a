package io.jenkins.plugins.voltworkflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.voltworkflow.credentials.EngineSecret;
import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import io.jenkins.plugins.voltworkflow.workspace.AgentValidationEngine;
import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandardEngineFactoryTest {

    @TempDir
    Path scratch;

    private final SecretMask mask = new SecretMask();
    private final EngineFactory engines = EngineFactory.create();
    private StandardEngineFactory factory;

    @BeforeEach
    void createFactory() {
        factory = new StandardEngineFactory(engines, (id, url) -> new EngineSecret.Token("sk-ant-secret-value"), mask,
                scratch.resolve("builtin"));
    }

    @AfterEach
    void close() {
        engines.close();
    }

    private static WorkflowRequest request(EngineSpec... specs) {
        return WorkflowRequest.of("volt", "Add login", Map.of(), List.of(specs), List.of(), WorkflowLimits.DEFAULTS);
    }

    @Test
    void credentialsAreResolvedAtEachCallMappedAndMasked() {
        CredentialSource source = factory.credentialSource(
                EngineSpec.of("analysis", "anthropic", "https://api.anthropic.com", "claude", "anthropic-key", null));

        assertThat(source.credential()).isEqualTo(new Credential.ApiKeyHeader("x-api-key", Secret.of("sk-ant-secret-value")));
        assertThat(mask.mask("echo sk-ant-secret-value")).isEqualTo("echo ****");
        assertThat(factory.credentialSource(EngineSpec.builtin(EngineRole.CODEGEN))).isSameAs(CredentialSource.NONE);
    }

    @Test
    void validationAlwaysRunsInALentWorkspace() {
        Engines command = factory.create(request(EngineSpec.of("validation", "command", null, null, null, "mvn -B verify")),
                new WorkspaceBroker());
        Engines builtin = factory.create(request(), new WorkspaceBroker());

        assertThat(command.validation()).get().isInstanceOf(AgentValidationEngine.class);
        assertThat(builtin.validation()).get().isInstanceOf(AgentValidationEngine.class);
        assertThat(builtin.nlp()).isPresent();
        assertThat(builtin.codegen()).isPresent();
    }
}
