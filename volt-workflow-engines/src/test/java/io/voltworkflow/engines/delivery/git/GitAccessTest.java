package io.voltworkflow.engines.delivery.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.Secret;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GitAccessTest {

    @Test
    void anSshKeyReachesGitThroughItsEnvironmentQuotedForTheShellWithNoOtherIdentity() {
        GitAccess access = GitAccess.sshKey(Path.of("/var/lib/jenkins/tmp/it's a key"));

        assertThat(access.environment())
                .containsOnlyKeys("GIT_SSH_COMMAND")
                .containsEntry(
                        "GIT_SSH_COMMAND",
                        "ssh -i '/var/lib/jenkins/tmp/it'\\''s a key' -o IdentitiesOnly=yes -o IdentityAgent=none"
                                + " -o BatchMode=yes");
    }

    @Test
    void aForgeTokenBecomesBasicAuthenticationWithTheForgesUsername() {
        GitAccess token = GitAccess.of(new Credential.BearerToken(Secret.of("tok")), "x-access-token");
        GitAccess password = GitAccess.of(new Credential.BasicAuth("bot", Secret.of("pw")), "x-access-token");

        assertThat(token.environment().get("GIT_CONFIG_VALUE_0"))
                .isEqualTo("Authorization: Basic eC1hY2Nlc3MtdG9rZW46dG9r"); // x-access-token:tok
        assertThat(password.environment().get("GIT_CONFIG_VALUE_0"))
                .isEqualTo("Authorization: Basic Ym90OnB3"); // bot:pw
        assertThat(GitAccess.of(new Credential.None(), "x").environment()).isEmpty();
    }
}
