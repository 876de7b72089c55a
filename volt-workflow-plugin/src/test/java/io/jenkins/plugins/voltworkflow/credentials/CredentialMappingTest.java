package io.jenkins.plugins.voltworkflow.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.voltworkflow.engine.EngineType;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.Secret;
import org.junit.jupiter.api.Test;

class CredentialMappingTest {

    private static final String TOKEN = "sk-live-0123456789abcdef";

    @Test
    void eachEngineTypePresentsItsCredentialItsOwnWay() {
        assertThat(CredentialMapping.credentialFor(EngineType.OPENAI, "k", new EngineSecret.Token(TOKEN)))
                .isEqualTo(new Credential.BearerToken(Secret.of(TOKEN)));
        assertThat(CredentialMapping.credentialFor(EngineType.ANTHROPIC, "k", new EngineSecret.Token(TOKEN)))
                .isEqualTo(new Credential.ApiKeyHeader("x-api-key", Secret.of(TOKEN)));
        assertThat(CredentialMapping.credentialFor(EngineType.VOLT, "k", new EngineSecret.Token(TOKEN)))
                .isEqualTo(new Credential.BearerToken(Secret.of(TOKEN)));
        assertThat(CredentialMapping.credentialFor(
                        EngineType.VOLT, "k", new EngineSecret.UsernamePassword("ci", TOKEN)))
                .isEqualTo(new Credential.BasicAuth("ci", Secret.of(TOKEN)));
    }

    @Test
    void aCredentialOfTheWrongKindIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> CredentialMapping.credentialFor(
                        EngineType.OPENAI, "ci-login", new EngineSecret.UsernamePassword("ci", TOKEN)))
                .hasMessage("credentials 'ci-login' are a username and password, but a openai engine needs a "
                        + "Secret text credential holding its API key")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(
                        () -> CredentialMapping.credentialFor(EngineType.BUILTIN, "k", new EngineSecret.Token(TOKEN)))
                .hasMessageContaining("takes no credentials")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void secretsNeverAppearInToString() {
        assertThat(new EngineSecret.Token(TOKEN).toString()).doesNotContain(TOKEN);
        assertThat(new EngineSecret.UsernamePassword("ci", TOKEN).toString())
                .contains("ci")
                .doesNotContain(TOKEN);
        assertThat(CredentialMapping.credentialFor(EngineType.ANTHROPIC, "k", new EngineSecret.Token(TOKEN))
                        .toString())
                .doesNotContain(TOKEN);
        assertThat(CredentialMapping.credentialFor(EngineType.VOLT, "k", new EngineSecret.UsernamePassword("ci", TOKEN))
                        .toString())
                .doesNotContain(TOKEN);
    }

    @Test
    void theMaskHidesResolvedSecretsButNotShortWords() {
        SecretMask mask = new SecretMask();
        mask.add(new EngineSecret.Token(TOKEN));
        mask.add(new EngineSecret.UsernamePassword("ci", "abc"));

        assertThat(mask.mask("401 for key " + TOKEN + " (abc)")).isEqualTo("401 for key **** (abc)");
    }
}
