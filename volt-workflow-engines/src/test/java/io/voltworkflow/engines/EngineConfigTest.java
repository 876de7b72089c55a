package io.voltworkflow.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineConfigTest {

    @Test
    void defaultsTheProviderUrls() {
        assertThat(EngineConfig.builder(EngineKind.OPENAI)
                        .model("gpt-4o-mini")
                        .build()
                        .url())
                .hasToString("https://api.openai.com/v1");
        assertThat(EngineConfig.builder(EngineKind.ANTHROPIC)
                        .model("claude")
                        .build()
                        .url())
                .hasToString("https://api.anthropic.com");
        assertThat(EngineConfig.builder(EngineKind.AZURE_OPENAI)
                        .url("https://x.openai.azure.com")
                        .model("d")
                        .build()
                        .apiVersion())
                .isEqualTo(EngineConfig.DEFAULT_AZURE_API_VERSION);
    }

    @Test
    void namesWhatAKindNeeds() {
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.OPENAI).build())
                .hasMessage("engine of type openai needs 'model'");
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.VOLT).build())
                .hasMessage("engine of type volt needs 'url'");
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.COMMAND).build())
                .hasMessageContaining("needs 'command'");
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.BUILTIN).build())
                .hasMessageContaining("needs 'workspace'");
    }

    @Test
    void refusesBadUrls_withoutEchoingCredentialsInThem() {
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.VOLT)
                        .url("ftp://engine")
                        .build())
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.VOLT)
                        .url("https://user:hunter2@engine")
                        .build())
                .hasMessageContaining("give them as credentials")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.VOLT)
                        .url("https://engine/v1?key=hunter2")
                        .build())
                .hasMessageContaining("base URL only")
                .hasMessageNotContaining("hunter2");
        // A port left out of a template ("http://127.0.0.1:$PORT/v1" with PORT unset) would otherwise mean port 80.
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.OPENAI)
                        .model("m")
                        .url("http://127.0.0.1:/v1")
                        .build())
                .hasMessage("engine of type openai has url 'http://127.0.0.1:/v1' with an empty port; give the port"
                        + " or leave out the ':'");
    }

    @Test
    void refusesCredentialsAsPlainHeaders() {
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.VOLT)
                        .url("https://engine")
                        .header("Authorization", "Bearer x")
                        .build())
                .hasMessageContaining("credentials go in 'credentials'");
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.VOLT)
                        .url("https://engine")
                        .header("X-Team", "a\r\nb")
                        .build())
                .hasMessageContaining("control or non-ASCII character");
    }

    @Test
    void refusesOutOfRangeParameters() {
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.OPENAI)
                        .model("m")
                        .temperature(3.0)
                        .build())
                .hasMessageContaining("between 0 and 2");
        assertThatThrownBy(() -> EngineConfig.builder(EngineKind.OPENAI)
                        .model("m")
                        .maxOutputTokens(0)
                        .build())
                .hasMessageContaining("at least 1");
    }

    @Test
    void toStringShowsTheSetupButNoSecret() {
        EngineConfig config = EngineConfig.builder(EngineKind.OPENAI)
                .model("gpt")
                .header("X-Team", "ci")
                .credentials(CredentialSource.of(new Credential.BearerToken(Secret.of("sk-abc-123"))))
                .build();

        assertThat(config.toString())
                .contains("openai", "gpt", "X-Team", "credentials=configured")
                .doesNotContain("sk-abc-123");
    }

    @Test
    void readsKindsByWireId() {
        assertThat(EngineKind.fromId("azure-openai")).isEqualTo(EngineKind.AZURE_OPENAI);
        assertThatThrownBy(() -> EngineKind.fromId("gemini")).hasMessageContaining("expected one of builtin");
    }

    @Test
    void chatEnginesCannotValidate() {
        try (EngineFactory factory = EngineFactory.create()) {
            assertThatThrownBy(() -> factory.validation(
                            EngineConfig.builder(EngineKind.OPENAI).model("m").build()))
                    .hasMessageContaining("cannot validate code");
        }
    }

    @Test
    void builtinDefaultsServeEveryStage() {
        try (EngineFactory factory = EngineFactory.create()) {
            var engines = factory.engines(EnginesConfig.builtin(Path.of("build-workspace")));

            assertThat(engines.nlp()).isPresent();
            assertThat(engines.codegen()).isPresent();
            assertThat(engines.validation()).isPresent();
        }
    }

    @Test
    void commandListIsCopied() {
        List<String> command = new java.util.ArrayList<>(List.of("agent", "--json"));
        EngineConfig config =
                EngineConfig.builder(EngineKind.COMMAND).command(command).build();
        command.add("--evil");

        assertThat(config.command()).containsExactly("agent", "--json");
    }
}
