package io.jenkins.plugins.voltworkflow.jenkinstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hudson.model.Item;
import hudson.security.csrf.CrumbIssuer;
import io.jenkins.plugins.voltworkflow.action.VoltWorkflowAction;
import io.jenkins.plugins.voltworkflow.fixtures.VoltProtocolEngine;
import jakarta.servlet.ServletRequest;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The workflow page's endpoints: GET needs Item.READ; Pause / Resume / Cancel need POST, the crumb and Item.CANCEL. */
@WithJenkins
class VoltWorkflowPageSecurityTest {

    private VoltProtocolEngine engine;

    @BeforeEach
    void startEngine() throws Exception {
        engine = new VoltProtocolEngine();
        engine.holdJobs.set(true); // keeps the workflow running while the endpoints are called
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void readersSeeTheStatusOnlyOperatorsControlTheWorkflow(JenkinsRule j) throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ, Item.READ)
                .everywhere()
                .to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CANCEL)
                .everywhere()
                .to("operator"));
        VoltWorkflowPipelineTest.addToken("volt-token");
        WorkflowJob p = j.createProject(WorkflowJob.class, "secured");
        p.setDefinition(new CpsFlowDefinition(
                "voltWorkflow requirement: 'Add login', failOnError: false, engines: "
                        + VoltWorkflowPipelineTest.engines(engine.url()),
                true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.submissions.containsKey("tokens"));
        String page = b.getUrl() + "volt-workflow/";

        // A plain client: HtmlUnit would follow the refresh of Jenkins' "authentication required" page to the login
        // form.
        for (String endpoint : new String[] {"status", "patches"}) {
            HttpResponse<String> anonymous = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(new URL(j.getURL(), page + endpoint).toURI())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(endpoint).isIn(403, 404);
            assertThat(anonymous.body()).doesNotContain("\"state\"", "\"patches\"");
        }

        JenkinsRule.WebClient reader =
                j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("reader");
        Page status = reader.goTo(page + "status", null);
        assertThat(status.getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(status.getWebResponse().getContentType()).isEqualTo("application/json");
        assertThat(status.getWebResponse().getContentAsString()).contains("\"state\":\"running\"");
        assertThat(reader.goTo(page + "patches", null).getWebResponse().getContentAsString())
                .contains("\"patches\":[");
        assertThat(reader.goTo(page + "cancel", null).getWebResponse().getStatusCode())
                .isEqualTo(405);
        assertThat(post(reader, j, page + "cancel", true).getWebResponse().getStatusCode())
                .isEqualTo(403);
        assertThat(reader.goTo(page, null).getWebResponse().getContentAsString())
                .contains("data-volt-workflow-view")
                .doesNotContain("data-action-url");

        JenkinsRule.WebClient operator =
                j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("operator");
        assertThat(post(operator, j, page + "pause", false).getWebResponse().getStatusCode())
                .isEqualTo(403); // no crumb
        Page cancelled = post(operator, j, page + "cancel", true);
        assertThat(cancelled.getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(cancelled.getWebResponse().getContentAsString()).contains("\"state\":\"cancelled\"");
        assertThat(operator.goTo(page, null).getWebResponse().getContentAsString())
                .contains("data-action-url");

        engine.holdJobs.set(false);
        j.waitForCompletion(b);
        assertThat(b.getAction(VoltWorkflowAction.class).getSummary().getState())
                .isEqualTo("cancelled");
        assertThat(operator.goTo(page + "status", null).getWebResponse().getContentAsString())
                .contains("\"state\":\"cancelled\""); // served from the saved status once the build is over
        assertThat(reader.goTo(page + "patches", null).getWebResponse().getContentAsString())
                .contains("\"workflowId\":\""
                        + b.getAction(VoltWorkflowAction.class).getWorkflowId() + "\"")
                .contains("\"complete\":true"); // read from the build's store
    }

    private static Page post(JenkinsRule.WebClient client, JenkinsRule j, String path, boolean withCrumb)
            throws Exception {
        WebRequest request = new WebRequest(new URL(j.getURL(), path), HttpMethod.POST);
        request.setAdditionalHeader("Content-Type", "application/json");
        request.setRequestBody("{\"reason\":\"test\"}");
        if (withCrumb) {
            // As the page's script sends it: a header, since a JSON body leaves no room for a crumb parameter.
            CrumbIssuer crumbs = j.jenkins.getCrumbIssuer();
            request.setAdditionalHeader(crumbs.getCrumbRequestField(), crumbs.getCrumb((ServletRequest) null));
        }
        return client.getPage(request);
    }
}
