package io.voltworkflow.engines.delivery;

import static io.voltworkflow.engines.delivery.Deliveries.body;
import static io.voltworkflow.engines.delivery.Deliveries.json;
import static io.voltworkflow.engines.delivery.Deliveries.request;
import static io.voltworkflow.engines.delivery.Deliveries.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.DeliveryResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.delivery.forges.ForgeKind;
import io.voltworkflow.engines.delivery.forges.Forges;
import io.voltworkflow.engines.delivery.github.GitHubForge;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.engines.http.HttpTransport;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A later delivery brings an open request's draft state in line with its validation: a draft whose branch now passes
 * becomes ready for review, a ready request whose branch now fails a draft again. Each forge by its documented API:
 * GitHub's GraphQL mutations (REST cannot do it), GitLab's {@code Draft: } and Gitea's {@code WIP: } title prefixes,
 * Bitbucket's {@code draft} field.
 */
class DraftStateTest {
    @TempDir
    Path root;

    private MockWebServer server;
    private HttpTransport transport;
    private Deliveries repos;
    private final TestContext context = TestContext.step(StepType.COMPLETION);

    @BeforeEach
    void start() throws Exception {
        repos = new Deliveries(root);
        repos.generated("T1");
        server = new MockWebServer();
        server.start();
        transport = HttpTransport.create();
    }

    @AfterEach
    void stop() {
        transport.close();
        server.close();
    }

    private GitDelivery delivery(ForgeKind kind, String apiPath, String repository) {
        CredentialSource token = CredentialSource.of(new Credential.BearerToken(Secret.of("t0ken")));
        Forge forge =
                Forges.create(kind, server.url(apiPath).toString(), repository, transport, HttpOptions.DEFAULTS, token);
        return new GitDelivery(repos.pushing().build(), forge, token);
    }

    private static String line(RecordedRequest request) {
        return request.getMethod() + " " + request.getUrl().encodedPath();
    }

    private static final String GITHUB_PULL = """
      {"number":1347,"node_id":"PR_kwDOABII585Og6pI","html_url":"https://github.com/octo/hello/pull/1347",
       "draft":%s,"head":{"ref":"volt/wf-1"},"base":{"ref":"main"}}""";

    @Test
    void github_aDraftThatNowPassesIsMarkedReadyThroughGraphQl_atTheEnterpriseGraphQlUrl() throws Exception {
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + GITHUB_PULL.formatted("true") + "]"));
        server.enqueue(json(200, GITHUB_PULL.formatted("true")));
        server.enqueue(json(200, """
            {"data":{"markPullRequestReadyForReview":{"pullRequest":{"isDraft":false}}}}"""));

        DeliveryResult result = Outcomes.result(
                delivery(ForgeKind.GITHUB, "/api/v3", "octo/hello").deliver(request(task("T1", true)), context));

        assertThat(result.draft()).isFalse();
        server.takeRequest();
        server.takeRequest();
        assertThat(line(server.takeRequest())).isEqualTo("PATCH /api/v3/repos/octo/hello/pulls/1347");
        RecordedRequest graphql = server.takeRequest();
        assertThat(line(graphql)).isEqualTo("POST /api/graphql");
        assertThat(graphql.getHeaders().get("Authorization")).isEqualTo("Bearer t0ken");
        assertThat(body(graphql).path("query").asText())
                .contains("markPullRequestReadyForReview(input: {pullRequestId: $id})");
        assertThat(body(graphql).path("variables").path("id").asText()).isEqualTo("PR_kwDOABII585Og6pI");
    }

    @Test
    void github_aReadyPullRequestWhoseBranchNowFailsIsConvertedBackToADraft() throws Exception {
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + GITHUB_PULL.formatted("false") + "]"));
        server.enqueue(json(200, GITHUB_PULL.formatted("false")));
        server.enqueue(json(200, """
            {"data":{"convertPullRequestToDraft":{"pullRequest":{"isDraft":true}}}}"""));

        DeliveryResult result = Outcomes.result(
                delivery(ForgeKind.GITHUB, "/", "octo/hello").deliver(request(task("T1", false)), context));

        assertThat(result.draft()).isTrue();
        for (int i = 0; i < 3; i++) {
            server.takeRequest();
        }
        RecordedRequest graphql = server.takeRequest();
        assertThat(line(graphql)).isEqualTo("POST /graphql");
        assertThat(body(graphql).path("query").asText()).contains("convertPullRequestToDraft");
    }

    @Test
    void github_aMutationGraphQlRefuses_200WithErrors_isANamedError() {
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + GITHUB_PULL.formatted("true") + "]"));
        server.enqueue(json(200, GITHUB_PULL.formatted("true")));
        server.enqueue(json(200, """
            {"data":{"markPullRequestReadyForReview":null},"errors":[{"type":"FORBIDDEN",
             "path":["markPullRequestReadyForReview"],
             "message":"Resource not accessible by integration"}]}"""));

        StepError error = Outcomes.failure(
                delivery(ForgeKind.GITHUB, "/", "octo/hello").deliver(request(task("T1", true)), context));

        assertThat(error.retryable()).isFalse();
        assertThat(error.message())
                .isEqualTo("GitHub refused markPullRequestReadyForReview: Resource not accessible by integration");
    }

    @Test
    void github_aRateLimitedMutationIsRetryable() {
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + GITHUB_PULL.formatted("true") + "]"));
        server.enqueue(json(200, GITHUB_PULL.formatted("true")));
        server.enqueue(new MockResponse.Builder()
                .code(403)
                .addHeader("Retry-After", "30")
                .addHeader("x-ratelimit-remaining", "0")
                .body("{\"message\":\"API rate limit exceeded\"}")
                .build());

        StepError error = Outcomes.failure(
                delivery(ForgeKind.GITHUB, "/", "octo/hello").deliver(request(task("T1", true)), context));

        assertThat(error.code()).isEqualTo(StepError.RATE_LIMITED);
        assertThat(error.retryable()).isTrue();
    }

    @Test
    void githubGraphQlUrls() {
        assertThat(GitHubForge.graphqlUrl(HttpUrl.get("https://api.github.com")))
                .hasToString("https://api.github.com/graphql");
        assertThat(GitHubForge.graphqlUrl(HttpUrl.get("https://github.example.com/api/v3/")))
                .hasToString("https://github.example.com/api/graphql");
        assertThat(GitHubForge.graphqlUrl(HttpUrl.get("https://example.com/github/api/v3")))
                .hasToString("https://example.com/github/api/graphql");
    }

    @Test
    void gitlab_aDraftThatNowPassesLosesItsDraftPrefix_andARedOneGetsItBack() throws Exception {
        String draft = """
        {"id":84,"iid":7,"title":"Draft: Volt: Build a greeting service","draft":true,"state":"opened",
         "web_url":"https://gitlab.example.com/g/app/-/merge_requests/7"}""";
        String ready = draft.replace("Draft: ", "").replace("\"draft\":true", "\"draft\":false");
        GitDelivery delivery = delivery(ForgeKind.GITLAB, "/api/v4", "g/app");
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + draft + "]"));
        server.enqueue(json(200, ready));

        assertThat(Outcomes.result(delivery.deliver(request(task("T1", true)), context))
                        .draft())
                .isFalse();
        server.takeRequest();
        server.takeRequest();
        RecordedRequest update = server.takeRequest();
        assertThat(line(update)).isEqualTo("PUT /api/v4/projects/g%2Fapp/merge_requests/7");
        assertThat(body(update).path("title").asText()).isEqualTo("Volt: Build a greeting service");

        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + ready + "]"));
        server.enqueue(json(200, draft));
        assertThat(Outcomes.result(delivery.deliver(request(task("T1", false)), context))
                        .draft())
                .isTrue();
        server.takeRequest();
        server.takeRequest();
        assertThat(body(server.takeRequest()).path("title").asText())
                .isEqualTo("Draft: Volt: Build a greeting service");
    }

    @Test
    void gitea_aWorkInProgressPullRequestThatNowPassesLosesItsWipPrefix() throws Exception {
        String wip = """
        {"id":31,"number":9,"title":"WIP: Volt: Build a greeting service","state":"open",
         "html_url":"https://gitea.example.com/owner/app/pulls/9","head":{"ref":"volt/wf-1"},"base":{"ref":"main"}}""";
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + wip + "]"));
        server.enqueue(json(200, wip.replace("WIP: ", "")));

        DeliveryResult result = Outcomes.result(
                delivery(ForgeKind.GITEA, "/api/v1", "owner/app").deliver(request(task("T1", true)), context));

        assertThat(result.draft()).isFalse();
        server.takeRequest();
        server.takeRequest();
        RecordedRequest update = server.takeRequest();
        assertThat(line(update)).isEqualTo("PATCH /api/v1/repos/owner/app/pulls/9");
        assertThat(body(update).path("title").asText()).isEqualTo("Volt: Build a greeting service");
    }

    @Test
    void bitbucketCloud_theDraftFieldFollowsValidation() throws Exception {
        String pull = """
        {"type":"pullrequest","id":3,"title":"Volt: Build a greeting service","state":"OPEN","draft":%s,
         "links":{"html":{"href":"https://bitbucket.org/ws/app/pull-requests/3"}}}""";
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "{\"pagelen\":10,\"values\":[" + pull.formatted("true") + "],\"page\":1,\"size\":1}"));
        server.enqueue(json(200, pull.formatted("false")));

        DeliveryResult result = Outcomes.result(
                delivery(ForgeKind.BITBUCKET, "/2.0", "ws/app").deliver(request(task("T1", true)), context));

        assertThat(result.draft()).isFalse();
        server.takeRequest();
        server.takeRequest();
        RecordedRequest update = server.takeRequest();
        assertThat(line(update)).isEqualTo("PUT /2.0/repositories/ws/app/pullrequests/3");
        assertThat(body(update).path("draft").isBoolean()).isTrue();
        assertThat(body(update).path("draft").asBoolean()).isFalse();
    }

    @Test
    void bitbucketDataCenter_sendsTheDraftFieldOnlyToChangeIt_atTheRequestsVersion() throws Exception {
        String pull = """
        {"id":5,"version":%d,"title":"Volt: Build a greeting service","state":"OPEN","open":true,"draft":%s,
         "fromRef":{"id":"refs/heads/volt/wf-1"},"toRef":{"id":"refs/heads/main"},
         "links":{"self":[{"href":"https://bitbucket.example.com/projects/PRJ/repos/app/pull-requests/5"}]}}""";
        GitDelivery delivery = delivery(ForgeKind.BITBUCKET_DATA_CENTER, "/", "PRJ/app");
        server.enqueue(json(204, ""));
        server.enqueue(json(
                200,
                "{\"size\":1,\"limit\":25,\"isLastPage\":true,\"values\":[" + pull.formatted(4, "true")
                        + "],\"start\":0}"));
        server.enqueue(json(200, pull.formatted(5, "false")));

        assertThat(Outcomes.result(delivery.deliver(request(task("T1", true)), context))
                        .draft())
                .isFalse();
        server.takeRequest();
        server.takeRequest();
        JsonNode update = body(server.takeRequest());
        assertThat(update.path("version").asLong()).isEqualTo(4);
        assertThat(update.path("draft").asBoolean(true)).isFalse();

        server.enqueue(json(204, ""));
        server.enqueue(json(
                200,
                "{\"size\":1,\"limit\":25,\"isLastPage\":true,\"values\":[" + pull.formatted(5, "false")
                        + "],\"start\":0}"));
        server.enqueue(json(200, pull.formatted(6, "false")));
        Outcomes.result(delivery.deliver(request(task("T1", true)), context));
        server.takeRequest();
        server.takeRequest();
        assertThat(body(server.takeRequest()).has("draft")).isFalse();
    }
}
