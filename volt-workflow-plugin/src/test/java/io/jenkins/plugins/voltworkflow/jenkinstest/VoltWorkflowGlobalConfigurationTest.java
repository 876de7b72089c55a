package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.voltworkflow.config.VoltWorkflowGlobalConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.htmlunit.Page;
import org.htmlunit.html.HtmlForm;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The global configuration form of Manage Jenkins › System, as an administrator submits it. */
@WithJenkins
class VoltWorkflowGlobalConfigurationTest {

    @Test
    void theFormRoundTripsItsValues(JenkinsRule j) throws Exception {
        VoltWorkflowGlobalConfiguration config = VoltWorkflowGlobalConfiguration.get();
        config.setMaxConcurrentSteps(3);
        config.setMaxRetries(1);
        config.setBudgetUsd("2.5");

        j.configRoundtrip();

        assertThat(config.getMaxConcurrentSteps()).isEqualTo(3);
        assertThat(config.getMaxRetries()).isEqualTo(1);
        assertThat(config.getBudgetUsd()).isEqualTo("2.5");
    }

    @Test
    void aRefusedValueComesBackToTheFormAndChangesNothing(JenkinsRule j) throws Exception {
        VoltWorkflowGlobalConfiguration config = VoltWorkflowGlobalConfiguration.get();
        config.setMaxConcurrentSteps(3);
        config.setMaxRetries(1);
        Path file = j.jenkins.getRootDir().toPath().resolve(config.getId() + ".xml");
        String saved = Files.readString(file);
        JenkinsRule.WebClient web = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        HtmlForm form = web.goTo("configure").getFormByName("config");
        form.getInputByName("_.maxRetries").setValue("0");
        form.getInputByName("_.maxConcurrentSteps").setValue("0");

        Page answer = j.submit(form);

        assertThat(answer.getWebResponse().getStatusCode()).isEqualTo(400);
        assertThat(answer.getWebResponse().getContentAsString()).contains("concurrency must be between 1 and");
        assertThat(config.getMaxConcurrentSteps()).isEqualTo(3);
        assertThat(config.getMaxRetries())
                .as("a value before the refused one is not kept either")
                .isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo(saved);
    }
}
