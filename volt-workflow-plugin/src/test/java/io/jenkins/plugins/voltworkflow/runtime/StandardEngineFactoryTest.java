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
import java.util.concurrent.atomic.AtomicInteger;
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
        factory = new StandardEngineFactory(
                engines, (id, url) -> new EngineSecret.Token("sk-ant-secret-value"), mask, scratch.resolve("builtin"));
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

        assertThat(source.credential())
                .isEqualTo(new Credential.ApiKeyHeader("x-api-key", Secret.of("sk-ant-secret-value")));
        assertThat(mask.mask("echo sk-ant-secret-value")).isEqualTo("echo ****");
        assertThat(factory.credentialSource(EngineSpec.builtin(EngineRole.CODEGEN)))
                .isSameAs(CredentialSource.NONE);
    }

    @Test
    void aCredentialSharedByEnginesIsResolvedAndTrackedOnceAndAgainOnlyAfterAnEngineRefusedIt() {
        AtomicInteger lookups = new AtomicInteger();
        StandardEngineFactory counting = new StandardEngineFactory(
                engines,
                (id, url) -> {
                    lookups.incrementAndGet(); // on Jenkins: findCredentialById and CredentialsProvider.track
                    return new EngineSecret.Token("volt-secret-" + lookups.get());
                },
                mask,
                scratch.resolve("builtin"));
        List<EngineSpec> specs = List.of(
                EngineSpec.of("analysis", "volt", "https://volt.internal", null, "volt-token", null),
                EngineSpec.of("codegen", "volt", "https://volt.internal", null, "volt-token", null),
                EngineSpec.of("validation", "volt", "https://volt.internal", null, "volt-token", null));

        counting.create(request(specs.toArray(new EngineSpec[0])), new WorkspaceBroker());
        List<CredentialSource> sources =
                specs.stream().map(counting::credentialSource).toList();
        for (int call = 0; call < 5; call++) {
            sources.forEach(CredentialSource::credential); // every HTTP call and job poll asks for the credential
        }
        assertThat(lookups).hasValue(1);

        Credential refused = sources.get(1).credential();
        sources.get(1).rejected(refused);
        sources.get(1).rejected(refused); // a second 401 with the same stale secret changes nothing more
        assertThat(sources.get(0).credential()).isNotEqualTo(refused);
        sources.forEach(CredentialSource::credential);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void validationAlwaysRunsInALentWorkspace() {
        Engines command = factory.create(
                request(EngineSpec.of("validation", "command", null, null, null, "mvn -B verify")),
                new WorkspaceBroker());
        Engines builtin = factory.create(request(), new WorkspaceBroker());

        assertThat(command.validation()).get().isInstanceOf(AgentValidationEngine.class);
        assertThat(builtin.validation()).get().isInstanceOf(AgentValidationEngine.class);
        assertThat(builtin.nlp()).isPresent();
        assertThat(builtin.codegen()).isPresent();
    }

    @Test
    void chatCodeGenerationNeedsNoWorkspaceOnTheController() {
        // Its patches reach the build's workspace on the agent through the validation (VOLT_PATCH_FILE).
        Engines chat = factory.create(
                request(
                        EngineSpec.of(
                                "codegen", "anthropic", "https://api.anthropic.com", "claude", "anthropic-key", null),
                        EngineSpec.of(
                                "validation",
                                "command",
                                null,
                                null,
                                null,
                                "git apply \"$VOLT_PATCH_FILE\" && make test")),
                new WorkspaceBroker());

        assertThat(chat.codegen()).isPresent();
    }
}
