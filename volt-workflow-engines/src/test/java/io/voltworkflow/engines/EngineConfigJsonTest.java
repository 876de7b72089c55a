package io.voltworkflow.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.engines.budget.Pricing;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.internal.Json;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EngineConfigJsonTest {
    private static final CredentialSource KEY =
            CredentialSource.of(new Credential.ApiKeyHeader("x-api-key", Secret.of("k")));
    private static final Function<String, CredentialSource> BY_ID = Map.of("anthropic-key", KEY)::get;

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void readsEveryStage() throws Exception {
        EnginesConfig config = EngineConfigJson.readEngines(json("""
        {"nlp": {"type": "openai", "url": "http://localhost:11434/v1", "model": "llama3.2", "temperature": 0,
                 "structuredOutput": false, "http": {"readTimeout": "PT5M", "maxResponseBytes": 1048576}},
         "codegen": {"type": "anthropic", "model": "claude", "credentials": "anthropic-key", "maxOutputTokens": 4096,
                     "pricing": {"inputUsdPerMillionTokens": 3, "outputUsdPerMillionTokens": 15}},
         "validation": {"type": "builtin", "workspace": "/work/repo", "validationCommand": ["./mvnw", "-B", "verify"],
                        "validationTimeout": 600}}"""), BY_ID);

        assertThat(config.nlp().kind()).isEqualTo(EngineKind.OPENAI);
        assertThat(config.nlp().structuredOutput()).isFalse();
        assertThat(config.nlp().http().readTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.nlp().http().maxResponseBytes()).isEqualTo(1048576);
        assertThat(config.codegen().credentials()).isSameAs(KEY);
        assertThat(config.codegen().pricing()).isEqualTo(new Pricing(3, 15));
        assertThat(config.validation().validationCommand()).containsExactly("./mvnw", "-B", "verify");
        assertThat(config.validation().validationTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void demonstrateRepairIsABuiltinOptionOffByDefault() throws Exception {
        EnginesConfig config = EngineConfigJson.readEngines(json("""
        {"nlp": {"type": "builtin", "workspace": "w"},
         "codegen": {"type": "builtin", "workspace": "w", "demonstrateRepair": true}}"""), BY_ID);

        assertThat(config.nlp().demonstrateRepair()).isFalse();
        assertThat(config.codegen().demonstrateRepair()).isTrue();
        assertThatThrownBy(() -> EngineConfigJson.readEngines(
                        json("{\"codegen\": {\"type\": \"openai\", \"model\": \"m\", \"demonstrateRepair\": true}}"),
                        BY_ID))
                .hasMessage("codegen: engine of type openai sets 'demonstrateRepair', which only the builtin code"
                        + " generator has");
    }

    @Test
    void aMissingStageHasNoEngine() throws Exception {
        EnginesConfig config =
                EngineConfigJson.readEngines(json("{\"nlp\": {\"type\": \"builtin\", \"workspace\": \"w\"}}"), BY_ID);

        assertThat(config.codegen()).isNull();
    }

    @Test
    void errorsNameTheStageAndField() {
        assertThatThrownBy(() -> EngineConfigJson.readEngines(
                        json("{\"codegen\": {\"type\": \"openai\", \"modle\": \"x\"}}"), BY_ID))
                .hasMessageStartingWith("codegen: an engine has unknown field(s) [modle]");
        assertThatThrownBy(() -> EngineConfigJson.readEngines(
                        json("{\"nlp\": {\"type\": \"openai\", \"model\": \"m\", \"credentials\": \"nope\"}}"), BY_ID))
                .hasMessage("nlp: no credentials with id 'nope'");
        assertThatThrownBy(() -> EngineConfigJson.readEngines(
                        json("{\"nlp\": {\"type\": \"command\", \"command\": \"agent --json\"}}"), BY_ID))
                .hasMessageContaining("'command' must be a list of strings");
        assertThatThrownBy(() -> EngineConfigJson.readEngines(
                        json("{\"nlp\": {\"type\": \"command\", \"command\": [\"a\"], \"commandTimeout\": \"soon\"}}"),
                        BY_ID))
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> EngineConfigJson.readEngines(json("{\"validate\": {}}"), BY_ID))
                .hasMessageContaining("unknown field(s) [validate]");
        assertThatThrownBy(() -> EngineConfigJson.readEngines(json("{\"nlp\": {\"type\": \"gemini\"}}"), BY_ID))
                .hasMessageContaining("unknown engine type 'gemini'");
    }
}
