package io.jenkins.plugins.voltworkflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EngineSpecTest {

    @Test
    void aCompleteHttpEngineIsKeptTrimmed() {
        EngineSpec spec = EngineSpec.of("codegen", "openai", " https://llm.internal/v1 ", "gpt-5", "openai-key", null);

        assertThat(spec.role()).isEqualTo(EngineRole.CODEGEN);
        assertThat(spec.type()).isEqualTo(EngineType.OPENAI);
        assertThat(spec.url()).isEqualTo("https://llm.internal/v1");
        assertThat(spec.credentialsId()).isEqualTo("openai-key");
        assertThat(spec).hasToString("codegen engine openai at https://llm.internal/v1 model gpt-5");
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> EngineSpec.of("validation", "anthropic", "ftp://x", null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid validation engine: engine type 'anthropic' cannot serve the validation role; "
                        + "the engine URL must be an absolute http or https URL: ftp://x");
        assertThatThrownBy(() -> EngineSpec.of("review", "gpt", null, null, null, null))
                .hasMessageContaining("unknown engine role 'review'")
                .hasMessageContaining("unknown engine type 'gpt'");
    }

    @Test
    void urlsMustNotCarryCredentialsAndCommandEnginesNeedACommand() {
        assertThat(EngineSpec.urlProblem("https://user:token@llm.internal"))
                .hasValue("put credentials in a Jenkins credential, not in the engine URL");
        assertThat(EngineSpec.urlProblem(" ")).hasValue("the engine URL is required");
        assertThat(EngineSpec.urlProblem("http://localhost:11434")).isEmpty();
        assertThatThrownBy(() -> EngineSpec.of("validation", "command", null, null, null, " "))
                .hasMessageContaining("a command engine needs a command");
    }

    @Test
    void builtinEnginesNeedNothing() {
        assertThat(EngineSpec.builtin(EngineRole.ANALYSIS))
                .isEqualTo(EngineSpec.of("analysis", "builtin", null, null, null, null));
    }
}
