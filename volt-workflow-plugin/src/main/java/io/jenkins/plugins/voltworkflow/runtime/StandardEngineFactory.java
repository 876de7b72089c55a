package io.jenkins.plugins.voltworkflow.runtime;

import io.jenkins.plugins.voltworkflow.credentials.CredentialMapping;
import io.jenkins.plugins.voltworkflow.credentials.EngineAuth;
import io.jenkins.plugins.voltworkflow.credentials.EngineSecret;
import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.engine.EngineType;
import io.jenkins.plugins.voltworkflow.workspace.AgentValidationEngine;
import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.engine.Engines;
import java.util.function.Supplier;

/**
 * Builds a workflow's engines from its request. Credentials are resolved through the host (on Jenkins: the
 * Credentials plugin, in the build's context) once up front, so a wrong id fails the step at once with a clear
 * message, and then again at each use, so a rotated secret takes effect. Every resolved secret joins the build's
 * {@link SecretMask}.
 *
 * <p>The validation command engine runs in a build workspace through the {@link WorkspaceBroker}. Roles whose
 * engine type needs volt-workflow-engines are left without an engine until that module provides the adapters:
 * the core then fails those steps with {@code NO_HANDLER}, naming the step.
 */
public final class StandardEngineFactory implements EngineFactory {

    /** Looks up the secret of a credentials id (on Jenkins: {@code RunCredentials.resolve(run, id)}). */
    @FunctionalInterface
    public interface CredentialResolver {
        EngineSecret resolve(String credentialsId);
    }

    private final CredentialResolver credentials;
    private final SecretMask mask;

    public StandardEngineFactory(CredentialResolver credentials, SecretMask mask) {
        this.credentials = credentials;
        this.mask = mask;
    }

    @Override
    public Engines create(WorkflowRequest request, WorkspaceBroker workspaces) {
        for (EngineSpec engine : request.engines()) {
            if (engine.credentialsId() != null) {
                authFor(engine).get(); // fail fast on an unusable credentials id
            }
        }
        Engines.Builder engines = Engines.builder();
        EngineSpec validation = request.engine(EngineRole.VALIDATION);
        if (validation.type() == EngineType.COMMAND) {
            engines.validation(new AgentValidationEngine(validation.command(), workspaces));
        }
        return engines.build();
    }

    /** The authentication of an engine, resolved at each call. */
    public Supplier<EngineAuth> authFor(EngineSpec engine) {
        if (engine.credentialsId() == null) {
            return EngineAuth.None::new;
        }
        return () -> {
            EngineSecret secret = credentials.resolve(engine.credentialsId());
            mask.add(secret);
            return CredentialMapping.authFor(engine.type(), engine.credentialsId(), secret);
        };
    }
}
