package io.jenkins.plugins.voltworkflow.delivery;

import io.jenkins.plugins.voltworkflow.credentials.EngineSecret;
import io.jenkins.plugins.voltworkflow.credentials.SecretMask;
import io.jenkins.plugins.voltworkflow.runtime.StandardEngineFactory;
import io.voltworkflow.core.engine.DeliveryEngine;
import io.voltworkflow.core.engine.DeliveryRequest;
import io.voltworkflow.core.engine.DeliveryResult;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.EngineFactory;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.delivery.Forge;
import io.voltworkflow.engines.delivery.GitDelivery;
import io.voltworkflow.engines.delivery.TipValidator;
import io.voltworkflow.engines.delivery.forges.ForgeKind;
import io.voltworkflow.engines.delivery.git.GitAccess;
import io.voltworkflow.engines.delivery.git.GitIdentity;
import io.voltworkflow.engines.delivery.git.GitRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivery on a Jenkins controller. The build's workspace may be on an agent, and it is the user's, so the commits
 * are made in a private bare repository in the build's directory instead: the base branch is fetched from the remote
 * into it, each task's patch is committed on top, the branch pushed back and the pull request opened by the engines'
 * {@link GitDelivery} (commits found again by their trailers after a restart, pushes fast-forward only). Git
 * authenticates with the Jenkins credential {@code gitCredentialsId} (a token or username and password over HTTPS;
 * an SSH key from a secret file, written for the duration of the delivery to a file only the controller's user may
 * read and deleted afterwards), else with the forge's token. Every secret joins the build's mask. After the push,
 * the tip is validated where the tasks were, on the agent ({@link TipValidator}), and the verdict is the commit
 * status.
 */
public final class ControllerDelivery implements DeliveryEngine {

    private final DeliverySpec spec;
    private final Path directory;
    private final StandardEngineFactory.CredentialResolver tokens;
    private final GitSecret.Resolver gitSecrets;
    private final SecretMask mask;
    private final EngineFactory engines;
    private final TipValidator tipValidator;

    /** @param tipValidator validates the pushed tip where the tasks were validated; null to compare files instead */
    public ControllerDelivery(
            DeliverySpec spec,
            TipValidator tipValidator,
            Path directory,
            StandardEngineFactory.CredentialResolver tokens,
            GitSecret.Resolver gitSecrets,
            SecretMask mask,
            EngineFactory engines) {
        this.spec = spec;
        this.directory = directory;
        this.tokens = tokens;
        this.gitSecrets = gitSecrets;
        this.mask = mask;
        this.engines = engines;
        this.tipValidator = tipValidator;
    }

    @Override
    public CompletionStage<DeliveryResult> deliver(DeliveryRequest request, EngineContext context) {
        CredentialSource forgeToken = forgeToken();
        Optional<ForgeKind> kind = spec.forgeKind();
        return CompletableFuture.supplyAsync(() -> prepare(kind, forgeToken, context), context.blockingExecutor())
                .thenCompose(prepared -> prepared.delivery()
                        .deliver(request, context)
                        .whenComplete((result, error) -> prepared.access().close()));
    }

    private record Prepared(GitDelivery delivery, Access access) {}

    private Prepared prepare(Optional<ForgeKind> kind, CredentialSource forgeToken, EngineContext context) {
        GitRepository repository = new GitRepository(directory, GitIdentity.DEFAULT);
        Forge forge = kind.map(k -> engines.forge(k, spec.apiUrl(), spec.repository(), forgeToken))
                .orElse(null);
        Access access = access(forge, forgeToken);
        try {
            repository.initBare(context);
            String base = Optional.ofNullable(spec.baseBranch())
                    .or(() -> repository.defaultBranch(spec.remote(), access.git(), context))
                    .orElseThrow(() -> new EngineException(StepError.recoverable(
                            StepError.INVALID_INPUT,
                            "the remote " + spec.remote()
                                    + " names no default branch; give deliver: [baseBranch: '…']")));
            repository.fetch(spec.remote(), base, "refs/heads/" + base, access.git(), context);
            GitDelivery delivery = new GitDelivery(spec.options(directory, base), forge, forgeToken, access.git());
            return new Prepared(tipValidator == null ? delivery : delivery.validatingTipWith(tipValidator), access);
        } catch (RuntimeException e) {
            access.close();
            throw e;
        }
    }

    private CredentialSource forgeToken() {
        if (spec.credentialsId() == null) {
            return CredentialSource.NONE;
        }
        String url = spec.apiUrl() != null
                ? spec.apiUrl()
                : spec.forgeKind().flatMap(ForgeKind::publicApi).orElse(null);
        return () -> {
            EngineSecret secret;
            try {
                secret = tokens.resolve(spec.credentialsId(), url);
            } catch (IllegalArgumentException e) {
                throw new CredentialSource.CredentialException(e.getMessage());
            }
            mask.add(secret);
            if (secret instanceof EngineSecret.UsernamePassword basic) {
                return new Credential.BasicAuth(basic.username(), Secret.of(basic.password()));
            }
            return new Credential.BearerToken(Secret.of(((EngineSecret.Token) secret).value()));
        };
    }

    /** How git authenticates, and the key file to delete when the delivery is over. */
    private record Access(GitAccess git, Path keyFile) implements AutoCloseable {
        @Override
        public void close() {
            if (keyFile != null) {
                try {
                    Files.deleteIfExists(keyFile);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the temporary SSH key file " + keyFile, e);
                }
            }
        }
    }

    private Access access(Forge forge, CredentialSource forgeToken) {
        if (spec.gitCredentialsId() == null) { // the forge's token, or without a forge the controller's own setup
            return new Access(
                    forge == null
                            ? GitAccess.AMBIENT
                            : GitAccess.of(CredentialSource.resolve(forgeToken, forge.name()), forge.gitUsername()),
                    null);
        }
        GitSecret secret = gitSecrets.resolve(spec.gitCredentialsId(), spec.remote());
        if (secret instanceof GitSecret.Http http) {
            mask.add(http.secret());
            if (http.secret() instanceof EngineSecret.UsernamePassword basic) {
                return new Access(GitAccess.token(basic.username(), Secret.of(basic.password())), null);
            }
            String username = forge == null ? "git" : forge.gitUsername();
            return new Access(GitAccess.token(username, Secret.of(((EngineSecret.Token) http.secret()).value())), null);
        }
        GitSecret.SshKey key = (GitSecret.SshKey) secret;
        Path file = writeKey(key.privateKey());
        return new Access(GitAccess.sshKey(file), file);
    }

    /** A file only the controller's user can read, outside the build directory that build artifacts may expose. */
    private static Path writeKey(byte[] key) {
        try {
            Path file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(
                            "volt-delivery-",
                            ".key",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile("volt-delivery-", ".key");
            Files.write(file, key);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the temporary SSH key file", e);
        }
    }
}
