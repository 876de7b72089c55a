package io.jenkins.plugins.voltworkflow.jenkinstest;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toStringFromYamlFile;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.voltworkflow.config.EngineConfiguration;
import io.jenkins.plugins.voltworkflow.config.VoltWorkflowGlobalConfiguration;
import org.junit.jupiter.api.Test;

/** The global configuration through Configuration as Code: applied from YAML and exported back unchanged. */
@WithJenkinsConfiguredWithCode
class VoltWorkflowCascTest {

    @Test
    @ConfiguredWithCode("casc.yaml")
    void globalConfigurationRoundTrips(JenkinsConfiguredWithCodeRule j) throws Exception {
        VoltWorkflowGlobalConfiguration config = VoltWorkflowGlobalConfiguration.get();
        assertThat(config.getMaxConcurrentSteps()).isEqualTo(6);
        assertThat(config.getStepTimeoutMinutes()).isEqualTo(20);
        assertThat(config.getMaxRetries()).isEqualTo(2);
        assertThat(config.getBudgetUsd()).isEqualTo("5.5");
        assertThat(config.limits().budgetUsd()).contains(5.5);
        assertThat(config.getEngines())
                .extracting(
                        EngineConfiguration::getRole,
                        EngineConfiguration::getType,
                        EngineConfiguration::getCredentialsId)
                .containsExactly(tuple("codegen", "anthropic", "anthropic-key"), tuple("validation", "command", null));

        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode exported = getUnclassifiedRoot(context).get("voltWorkflow");

        assertThat(toYamlString(exported)).isEqualTo(toStringFromYamlFile(this, "casc-expected.yaml"));
    }
}
