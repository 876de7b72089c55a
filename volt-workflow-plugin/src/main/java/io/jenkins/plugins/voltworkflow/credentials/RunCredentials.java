package io.jenkins.plugins.voltworkflow.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import hudson.model.Run;
import io.jenkins.plugins.voltworkflow.delivery.GitSecret;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves a {@code credentialsId} for a build the way the Credentials plugin documents: in the context of the run
 * (so folder credentials and the authentication the build runs as apply, and {@code ${PARAM}} ids work), and
 * records the use on the run. The engine's URL is the domain requirement: a credential in a domain for other
 * hosts is not found. Accepts "Secret text" and "Username with password" credentials.
 */
public final class RunCredentials {

    private RunCredentials() {}

    /** @throws IllegalArgumentException naming the id (never a secret) when it cannot be used */
    public static EngineSecret resolve(Run<?, ?> run, String credentialsId, String url) {
        List<DomainRequirement> requirements =
                url == null ? List.of() : URIRequirementBuilder.fromUri(url).build();
        StandardCredentials credentials =
                CredentialsProvider.findCredentialById(credentialsId, StandardCredentials.class, run, requirements);
        if (credentials == null) {
            throw new IllegalArgumentException("no credentials with id '" + credentialsId
                    + "' are available to this build" + (url == null ? "" : " for " + url)
                    + " (check the id, its folder, its domain, and who the build runs as)");
        }
        EngineSecret secret;
        if (credentials instanceof StringCredentials text) {
            secret = new EngineSecret.Token(text.getSecret().getPlainText());
        } else if (credentials instanceof StandardUsernamePasswordCredentials basic) {
            secret = new EngineSecret.UsernamePassword(
                    basic.getUsername(), basic.getPassword().getPlainText());
        } else {
            throw new IllegalArgumentException("credentials '" + credentialsId + "' are of a kind no engine accepts ("
                    + credentials.getClass().getSimpleName() + "); use Secret text or Username with password");
        }
        CredentialsProvider.track(run, credentials);
        return secret;
    }

    /**
     * The credential git pushes to {@code url} with: "Username with password" or "Secret text" over HTTPS, an SSH
     * private key from a "Secret file".
     *
     * @throws IllegalArgumentException naming the id (never a secret) when it cannot be used
     */
    public static GitSecret resolveGit(Run<?, ?> run, String credentialsId, String url) {
        StandardCredentials credentials = CredentialsProvider.findCredentialById(
                credentialsId,
                StandardCredentials.class,
                run,
                URIRequirementBuilder.fromUri(url).build());
        if (credentials instanceof FileCredentials file) {
            try (InputStream content = file.getContent()) {
                byte[] key = content.readAllBytes();
                CredentialsProvider.track(run, credentials);
                return new GitSecret.SshKey(key);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read the secret file of credentials '" + credentialsId + "': " + e.getMessage(), e);
            }
        }
        if (credentials == null
                || credentials instanceof StringCredentials
                || credentials instanceof StandardUsernamePasswordCredentials) {
            return new GitSecret.Http(resolve(run, credentialsId, url));
        }
        throw new IllegalArgumentException("credentials '" + credentialsId + "' are of a kind git cannot push with ("
                + credentials.getClass().getSimpleName()
                + "); use Username with password, Secret text, or a Secret file holding an SSH private key");
    }
}
