package io.jenkins.plugins.voltworkflow.runtime;

import io.jenkins.plugins.voltworkflow.credentials.CredentialMapping;
import io.jenkins.plugins.voltworkflow.credentials.EngineSecret;
import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.jenkins.plugins.voltworkflow.delivery.DeliverySpec;
import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.engine.EngineType;
import io.jenkins.plugins.voltworkflow.workspace.AgentValidationEngine;
import io.jenkins.plugins.voltworkflow.workspace.WorkspaceBroker;
import io.voltworkflow.core.engine.DeliveryEngine;
import io.voltworkflow.core.engine.Engines;
import io.voltworkflow.core.engine.ValidationEngine;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.delivery.TipValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds a workflow's engines from its request with volt-workflow-engines. Credentials are resolved through the
 * host (on Jenkins: the Credentials plugin, in the build's context, for the engine's URL, which also records their
 * use on the build) once per workflow for each credentials id and URL, up front, so a wrong id fails the step at once with a clear message; an engine that answers 401 makes the next call
 * resolve it again, so a rotated secret takes effect. Every resolved secret joins the build's {@link SecretMask}.
 *
 * <p>Validation always runs in a build workspace that a step lends through the {@link WorkspaceBroker}, on its
 * agent: the configured command, or for the built-in engine the project's detected build. Nothing a user's
 * project defines runs on the controller; the built-in code generator works in {@code scratch}, a directory of
 * the build's own.
 */
public final class StandardEngineFactory implements EngineFactory {

    /**
     * Looks up the secret of a credentials id for an engine URL ({@code null} for none); on Jenkins
     * {@code RunCredentials.resolve(run, id, url)}, which honours the credential's domain.
     */
    @FunctionalInterface
    public interface CredentialResolver {
        EngineSecret resolve(String credentialsId, String url);
    }

    /**
     * Builds the delivery engine of a request that delivers; {@code tip} validates the branch tip where the tasks
     * were validated, null when their validation engine cannot (a remote service).
     */
    @FunctionalInterface
    public interface DeliveryFactory {
        DeliveryEngine create(DeliverySpec spec, TipValidator tip);
    }

    private final io.voltworkflow.engines.EngineFactory engines;
    private final CredentialResolver credentials;
    private final DeliveryFactory delivery;
    private final SecretMask mask;
    private final Path scratch;
    /** Per credentials id and URL: engines of several roles sharing one credential resolve (and track) it once. */
    private final Map<SecretKey, EngineSecret> resolved = new ConcurrentHashMap<>();

    private record SecretKey(String credentialsId, String url) {
        static SecretKey of(EngineSpec engine) {
            return new SecretKey(engine.credentialsId(), engine.url());
        }
    }

    public StandardEngineFactory(
            io.voltworkflow.engines.EngineFactory engines,
            CredentialResolver credentials,
            SecretMask mask,
            Path scratch) {
        this(engines, credentials, mask, scratch, (spec, tip) -> {
            throw new IllegalArgumentException("delivery is not available here");
        });
    }

    public StandardEngineFactory(
            io.voltworkflow.engines.EngineFactory engines,
            CredentialResolver credentials,
            SecretMask mask,
            Path scratch,
            DeliveryFactory delivery) {
        this.engines = engines;
        this.credentials = credentials;
        this.mask = mask;
        this.scratch = scratch;
        this.delivery = delivery;
    }

    @Override
    public Engines create(WorkflowRequest request, WorkspaceBroker workspaces) {
        for (EngineSpec engine : request.engines()) {
            if (engine.credentialsId() != null) {
                resolve(engine); // fail fast on an unusable credentials id, before any engine is called
            }
        }
        EngineSpec validation = request.engine(EngineRole.VALIDATION);
        ValidationEngine validating =
                switch (validation.type()) {
                    case COMMAND -> new AgentValidationEngine(validation.command(), workspaces);
                    case BUILTIN -> new AgentValidationEngine(null, workspaces);
                    default -> engines.validation(config(validation));
                };
        TipValidator tip = validating instanceof TipValidator onAgent ? onAgent : null;
        return Engines.builder()
                .delivery(request.delivery()
                        .map(spec -> delivery.create(spec, tip))
                        .orElse(null))
                .nlp(engines.nlp(config(request.engine(EngineRole.ANALYSIS))))
                // Patches are applied by the validation, in the workspace a step lends on its agent, not here.
                .codegen(engines.codegenAppliedByValidation(config(request.engine(EngineRole.CODEGEN))))
                .validation(validating)
                .build();
    }

    /** The engine configuration of volt-workflow-engines for a spec. */
    EngineConfig config(EngineSpec engine) {
        EngineConfig.Builder config =
                EngineConfig.builder(kindOf(engine.type())).credentials(credentialSource(engine));
        if (engine.url() != null) {
            config.url(engine.url());
        }
        if (engine.model() != null) {
            config.model(engine.model());
        }
        if (engine.type() == EngineType.BUILTIN) {
            config.workspace(scratchDirectory());
        }
        return config.build();
    }

    private Path scratchDirectory() {
        try {
            return Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the built-in engines' directory " + scratch, e);
        }
    }

    private static EngineKind kindOf(EngineType type) {
        return switch (type) {
            case BUILTIN -> EngineKind.BUILTIN;
            case VOLT -> EngineKind.VOLT;
            case OPENAI -> EngineKind.OPENAI;
            case ANTHROPIC -> EngineKind.ANTHROPIC;
            case COMMAND ->
                throw new IllegalArgumentException("command engines run on an agent, not in volt-workflow-engines");
        };
    }

    /** The credential of an engine: resolved once, again after the engine refused it. */
    public CredentialSource credentialSource(EngineSpec engine) {
        if (engine.credentialsId() == null) {
            return CredentialSource.NONE;
        }
        return new CredentialSource() {
            @Override
            public Credential credential() {
                try {
                    return resolve(engine);
                } catch (IllegalArgumentException e) {
                    throw new CredentialSource.CredentialException(e.getMessage());
                }
            }

            @Override
            public void rejected(Credential credential) {
                SecretKey key = SecretKey.of(engine);
                EngineSecret current = resolved.get(key);
                if (current != null && mapped(engine, current).equals(credential)) {
                    resolved.remove(key, current);
                }
            }
        };
    }

    /** @throws IllegalArgumentException naming the credentials id when it cannot be used, never the secret */
    private Credential resolve(EngineSpec engine) {
        return mapped(engine, resolved.computeIfAbsent(SecretKey.of(engine), key -> {
            EngineSecret secret = credentials.resolve(key.credentialsId(), key.url());
            mask.add(secret);
            return secret;
        }));
    }

    private static Credential mapped(EngineSpec engine, EngineSecret secret) {
        return CredentialMapping.credentialFor(engine.type(), engine.credentialsId(), secret);
    }
}
