package io.voltworkflow.engines.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static final String VALUE = "sk-credential-test-value";

    @Test
    void secretsNeverPrintTheirValue() {
        Secret secret = Secret.of(VALUE);

        assertThat(secret).hasToString("****");
        assertThat(new Credential.BearerToken(secret).toString()).doesNotContain(VALUE);
        assertThat(new Credential.ApiKeyHeader("x-api-key", secret).toString())
                .doesNotContain(VALUE)
                .contains("x-api-key");
        assertThat(new Credential.BasicAuth("ci", secret).toString())
                .doesNotContain(VALUE)
                .contains("ci");
        assertThat(secret.reveal()).isEqualTo(VALUE);
    }

    @Test
    void secretsCompareByValue() {
        assertThat(Secret.of(VALUE)).isEqualTo(Secret.of(VALUE)).isNotEqualTo(Secret.of(VALUE + "x"));
    }

    @Test
    void badCredentialsAreRefusedWithoutShowingTheValue() {
        assertThatThrownBy(() -> Secret.of(" ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> new Credential.ApiKeyHeader("x api key", Secret.of(VALUE)))
                .hasMessageContaining("not a valid HTTP header name")
                .hasMessageNotContaining(VALUE);
        assertThatThrownBy(() -> new Credential.BasicAuth("a:b", Secret.of(VALUE)))
                .hasMessageContaining("':'");
    }
}
