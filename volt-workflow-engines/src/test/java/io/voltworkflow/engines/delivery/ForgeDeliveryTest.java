package io.voltworkflow.engines.delivery;

import static io.voltworkflow.engines.delivery.Deliveries.body;
import static io.voltworkflow.engines.delivery.Deliveries.json;
import static io.voltworkflow.engines.delivery.Deliveries.request;
import static io.voltworkflow.engines.delivery.Deliveries.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.DeliveryRequest.DeliveredTask;
import io.voltworkflow.core.engine.DeliveryResult;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.delivery.forges.ForgeKind;
import io.voltworkflow.engines.delivery.forges.Forges;
import io.voltworkflow.engines.http.HttpOptions;
import io.voltworkflow.engines.http.HttpTransport;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery to each forge against a fake of its documented REST API (request paths, bodies and replies as the
 * provider documents them, errors included), with the branch pushed to a real bare repository.
 */
class ForgeDeliveryTest {
    private static final String TOKEN = "forge-token-s3cr3t";

    @TempDir
    Path root;

    private Deliveries repos;
    private MockWebServer server;
    private HttpTransport transport;
    private final TestContext context = TestContext.step(StepType.COMPLETION);

    @BeforeEach
    void start() throws Exception {
        repos = new Deliveries(root);
        repos.generated("T1", "T2");
        server = new MockWebServer();
        server.start();
        transport = HttpTransport.create();
    }

    @AfterEach
    void stop() {
        transport.close();
        server.close();
    }

    private GitDelivery delivery(ForgeKind kind, String apiPath, String repository, List<String> labels) {
        return delivery(kind, apiPath, repository, repos.pushing().labels(labels));
    }

    private GitDelivery delivery(ForgeKind kind, String apiPath, String repository, DeliveryOptions.Builder options) {
        CredentialSource token = CredentialSource.of(new Credential.BearerToken(Secret.of(TOKEN)));
        Forge forge =
                Forges.create(kind, server.url(apiPath).toString(), repository, transport, HttpOptions.DEFAULTS, token);
        return new GitDelivery(options.build(), forge, token);
    }

    @Test
    void aPullRequestsBaseBranchMissingFromTheRemoteIsRefusedBeforeTheWorkflowStarts() throws Exception {
        repos.git.run("branch", "develop");
        GitDelivery delivery =
                delivery(ForgeKind.GITHUB, "/", "octo/hello", repos.pushing().baseBranch("develop"));

        assertThatThrownBy(delivery::checkBeforeStart).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.error().code()).isEqualTo(StepError.INVALID_INPUT);
            assertThat(e.error().message())
                    .startsWith("the base branch 'develop' does not exist on the remote " + repos.remote);
        });
        assertThat(server.getRequestCount()).isZero();
        delivery(ForgeKind.GITHUB, "/", "octo/hello", List.of()).checkBeforeStart();
    }

    private static final String GITHUB_PULL = """
      {"url":"https://api.github.com/repos/octo/hello/pulls/1347","id":1,"number":1347,"state":"open",
       "html_url":"https://github.com/octo/hello/pull/1347","draft":%s,"title":"Volt: Build a greeting service",
       "head":{"ref":"volt/wf-1","label":"octo:volt/wf-1"},"base":{"ref":"main"}}""";

    @Test
    void github_opensADraftWhenATaskFailedValidation_withTheCommitStatusLabelsAndAReviewableBody() throws Exception {
        server.enqueue(json(201, "{\"state\":\"failure\",\"context\":\"volt-workflow/validation\"}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, GITHUB_PULL.formatted("true")));
        server.enqueue(
                json(200, "[{\"id\":208045946,\"name\":\"volt\"},{\"id\":208045947,\"name\":\"ai-generated\"}]"));

        DeliveryResult result =
                Outcomes.result(delivery(ForgeKind.GITHUB, "/api/v3", "octo/hello", List.of("volt", "ai-generated"))
                        .deliver(request(task("T1", true), task("T2", false)), context));

        assertThat(result.pullRequestUrl()).isEqualTo("https://github.com/octo/hello/pull/1347");
        assertThat(result.draft()).isTrue();
        assertThat(result.headCommit()).isEqualTo(repos.head());
        RecordedRequest status = server.takeRequest();
        assertThat(status.getMethod()).isEqualTo("POST");
        assertThat(status.getUrl().encodedPath()).isEqualTo("/api/v3/repos/octo/hello/statuses/" + repos.head());
        assertThat(status.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(status.getHeaders().get("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(status.getHeaders().get("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        assertThat(body(status).path("state").asText()).isEqualTo("failure");
        assertThat(body(status).path("context").asText()).isEqualTo("volt-workflow/validation");
        assertThat(body(status).path("description").asText())
                .isEqualTo("1 of 2 tasks validated, 1 failed; not ready for review");
        assertThat(body(status).path("target_url").asText()).isEqualTo("http://127.0.0.1:7070/workflows/wf-1");
        RecordedRequest list = server.takeRequest();
        assertThat(list.getUrl().encodedPath()).isEqualTo("/api/v3/repos/octo/hello/pulls");
        assertThat(list.getUrl().queryParameter("head")).isEqualTo("octo:volt/wf-1");
        assertThat(list.getUrl().queryParameter("base")).isEqualTo("main");
        assertThat(list.getUrl().queryParameter("state")).isEqualTo("open");
        JsonNode created = body(server.takeRequest());
        assertThat(created.path("head").asText()).isEqualTo("volt/wf-1");
        assertThat(created.path("base").asText()).isEqualTo("main");
        assertThat(created.path("draft").asBoolean()).isTrue();
        assertThat(created.path("title").asText()).isEqualTo("Volt: Build a greeting service");
        assertThat(created.path("body").asText())
                .contains("> Build a greeting service\n> with tests\n")
                .contains("| T1 | Implement T1 | ✅ passed (4 tests, 0 failures: 4 passed) | 1 | "
                        + repos.bare
                                .run("rev-parse", "--short=10", "volt/wf-1~1")
                                .strip() + " |")
                .contains("| T2 | Implement T2 | ❌ failed: in repair round 1 of 1: validation of task T2 failed: "
                        + "T2Test.works: expected 4 but was 5 (and 1 more finding); 1 failure, 0 errors of 4 tests | 1 | "
                        + repos.head().substring(0, 10) + " |")
                .contains("### Failing validation\n\n**T2 — Implement T2** (after 1 repair round)\n\n````text\n"
                        + "in repair round 1 of 1: validation of task T2 failed: T2Test.works: expected 4 but was 5"
                        + " (and 1 more finding); 1 failure, 0 errors of 4 tests\n"
                        + "T2Test.prints: ``` was not closed\n````\n")
                .contains("**Validated tree:** `" + repos.head().substring(0, 10)
                        + "` holds exactly the files validation ran on")
                .contains("**Cost:** $0.0421 · 1500 tokens (1200 in, 300 out)")
                .contains("**Workflow:** http://127.0.0.1:7070/workflows/wf-1");
        RecordedRequest labels = server.takeRequest();
        assertThat(labels.getUrl().encodedPath()).isEqualTo("/api/v3/repos/octo/hello/issues/1347/labels");
        assertThat(body(labels).path("labels")).hasSize(2);
    }

    @Test
    void github_aTaskTheBudgetStoppedBeforeItHadCodeIsInTheDraftSayingWhy() throws Exception {
        server.enqueue(json(201, "{\"state\":\"failure\",\"context\":\"volt-workflow/validation\"}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, GITHUB_PULL.formatted("true")));
        DeliveredTask generated = task("T1", true);
        String spent = "the workflow's budget is spent (used 1500 tokens, $0.0000) before 'Generate Code for Task T2'";
        DeliveredTask stopped = new DeliveredTask(task("T2", true).task(), null, null, 0, spent);

        DeliveryResult result = Outcomes.result(delivery(ForgeKind.GITHUB, "/api/v3", "octo/hello", List.of())
                .deliver(request(generated, stopped), context));

        assertThat(result.draft()).isTrue();
        assertThat(repos.bare.run("rev-list", "--count", "main..volt/wf-1").strip())
                .isEqualTo("1");
        assertThat(body(server.takeRequest()).path("description").asText())
                .isEqualTo("1 of 2 tasks validated, 1 failed; not ready for review");
        server.takeRequest();
        JsonNode created = body(server.takeRequest());
        assertThat(created.path("draft").asBoolean()).isTrue();
        assertThat(created.path("body").asText())
                .contains("| T2 | Implement T2 | no code generated: " + spent + " | 0 | — |")
                .contains("**T2 — Implement T2** (after 0 repair rounds)\n\n```text\n" + spent + "\n```\n");
    }

    @Test
    void github_aPullRequestOpenedMeanwhileIsAdoptedWhenCreateAnswers422() throws Exception {
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(422, """
        {"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom",
         "message":"A pull request already exists for octo:volt/wf-1."}],
         "documentation_url":"https://docs.github.com/rest/pulls/pulls#create-a-pull-request","status":"422"}"""));
        server.enqueue(json(200, "[" + GITHUB_PULL.formatted("false") + "]"));
        server.enqueue(json(200, GITHUB_PULL.formatted("false")));

        DeliveryResult result = Outcomes.result(
                delivery(ForgeKind.GITHUB, "/", "octo/hello", List.of()).deliver(request(task("T1", true)), context));

        assertThat(result.pullRequestUrl()).isEqualTo("https://github.com/octo/hello/pull/1347");
        assertThat(result.draft()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(5);
        List<String> calls = List.of(
                line(server.takeRequest()),
                line(server.takeRequest()),
                line(server.takeRequest()),
                line(server.takeRequest()),
                line(server.takeRequest()));
        assertThat(calls)
                .containsExactly(
                        "POST /repos/octo/hello/statuses/" + repos.head(),
                        "GET /repos/octo/hello/pulls",
                        "POST /repos/octo/hello/pulls",
                        "GET /repos/octo/hello/pulls",
                        "PATCH /repos/octo/hello/pulls/1347");
    }

    @Test
    void github_aRepeatedDeliveryUpdatesTheOpenPullRequestAndPushesNothingNew() throws Exception {
        GitDelivery delivery = delivery(ForgeKind.GITHUB, "/", "octo/hello", List.of());
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, GITHUB_PULL.formatted("false")));
        DeliveryResult first = Outcomes.result(delivery.deliver(request(task("T1", true)), context));
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + GITHUB_PULL.formatted("false") + "]"));
        server.enqueue(json(200, GITHUB_PULL.formatted("false")));
        context.progress.clear();

        DeliveryResult again = Outcomes.result(delivery.deliver(request(task("T1", true)), context));

        assertThat(again).isEqualTo(first);
        assertThat(context.progress).contains("branch volt/wf-1 is up to date on " + repos.remote);
        for (int i = 0; i < 4; i++) {
            server.takeRequest();
        }
        assertThat(line(server.takeRequest())).isEqualTo("GET /repos/octo/hello/pulls");
        assertThat(line(server.takeRequest())).isEqualTo("PATCH /repos/octo/hello/pulls/1347");
    }

    @Test
    void github_rejectedCredentialsAreANamedNonRetryableErrorThatNeverShowsTheToken() {
        server.enqueue(
                json(
                        401,
                        "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"401\"}"));

        StepError error = Outcomes.failure(
                delivery(ForgeKind.GITHUB, "/", "octo/hello", List.of()).deliver(request(task("T1", true)), context));

        assertThat(error.retryable()).isFalse();
        assertThat(error.message())
                .contains("github returned HTTP 401: Bad credentials")
                .doesNotContain(TOKEN);
    }

    @Test
    void github_aRateLimitIsRetriedNoSoonerThanRetryAfter() {
        server.enqueue(new MockResponse.Builder()
                .code(403)
                .addHeader("Retry-After", "60")
                .addHeader("x-ratelimit-remaining", "0")
                .addHeader("Content-Type", "application/json")
                .body(
                        "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}")
                .build());

        StepError error = Outcomes.failure(
                delivery(ForgeKind.GITHUB, "/", "octo/hello", List.of()).deliver(request(task("T1", true)), context));

        assertThat(error.code()).isEqualTo(StepError.RATE_LIMITED);
        assertThat(error.retryable()).isTrue();
        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void gitlab_opensAMergeRequestWithLabelsAndAdoptsOneOpenedMeanwhileOn409() throws Exception {
        String mergeRequest = """
        {"id":84,"iid":7,"project_id":3,"title":"Volt: Build a greeting service","state":"opened","draft":false,
         "source_branch":"volt/wf-1","target_branch":"main","web_url":"https://gitlab.example.com/group/sub/app/-/merge_requests/7"}""";
        server.enqueue(
                json(201, "{\"id\":93,\"sha\":\"x\",\"status\":\"success\",\"name\":\"volt-workflow/validation\"}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(
                json(409, "{\"message\":[\"Another open merge request already exists for this source branch: !7\"]}"));
        server.enqueue(json(200, "[" + mergeRequest + "]"));
        server.enqueue(json(200, mergeRequest));

        DeliveryResult result =
                Outcomes.result(delivery(ForgeKind.GITLAB, "/api/v4", "group/sub/app", List.of("volt", "ai"))
                        .deliver(request(task("T1", true)), context));

        assertThat(result.pullRequestUrl()).isEqualTo("https://gitlab.example.com/group/sub/app/-/merge_requests/7");
        RecordedRequest status = server.takeRequest();
        assertThat(status.getUrl().encodedPath())
                .isEqualTo("/api/v4/projects/group%2Fsub%2Fapp/statuses/" + repos.head());
        assertThat(body(status).path("state").asText()).isEqualTo("success");
        assertThat(body(status).path("name").asText()).isEqualTo("volt-workflow/validation");
        RecordedRequest list = server.takeRequest();
        assertThat(list.getUrl().queryParameter("source_branch")).isEqualTo("volt/wf-1");
        assertThat(list.getUrl().queryParameter("state")).isEqualTo("opened");
        JsonNode created = body(server.takeRequest());
        assertThat(created.path("title").asText()).isEqualTo("Volt: Build a greeting service");
        assertThat(created.path("labels").asText()).isEqualTo("volt,ai");
        server.takeRequest();
        RecordedRequest update = server.takeRequest();
        assertThat(line(update)).isEqualTo("PUT /api/v4/projects/group%2Fsub%2Fapp/merge_requests/7");
        assertThat(body(update).path("add_labels").asText()).isEqualTo("volt,ai");
    }

    @Test
    void gitlab_aDraftIsMarkedByTheTitlePrefix_andA429WaitsForRetryAfter() throws Exception {
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, """
        {"iid":8,"title":"Draft: Volt: Build a greeting service","draft":true,"web_url":"https://gitlab.com/g/app/-/merge_requests/8"}"""));
        DeliveryResult result = Outcomes.result(
                delivery(ForgeKind.GITLAB, "/api/v4", "g/app", List.of()).deliver(request(task("T1", false)), context));
        server.takeRequest();
        server.takeRequest();
        assertThat(body(server.takeRequest()).path("title").asText())
                .isEqualTo("Draft: Volt: Build a greeting service");
        assertThat(result.draft()).isTrue();

        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "7")
                .body("Retry later")
                .build());
        StepError limited = Outcomes.failure(
                delivery(ForgeKind.GITLAB, "/api/v4", "g/app", List.of()).deliver(request(task("T1", false)), context));
        assertThat(limited.code()).isEqualTo(StepError.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void bitbucketCloud_opensADraftPullRequestAndReportsABuildStatus() throws Exception {
        server.enqueue(json(201, "{\"key\":\"volt-workflow/validation\",\"state\":\"FAILED\"}"));
        server.enqueue(json(200, "{\"pagelen\":10,\"values\":[],\"page\":1,\"size\":0}"));
        server.enqueue(json(201, """
        {"type":"pullrequest","id":3,"title":"Volt: Build a greeting service","state":"OPEN","draft":true,
         "links":{"html":{"href":"https://bitbucket.org/ws/app/pull-requests/3"}}}"""));

        DeliveryResult result = Outcomes.result(delivery(ForgeKind.BITBUCKET, "/2.0", "ws/app", List.of())
                .deliver(request(task("T1", false)), context));

        assertThat(result.pullRequestUrl()).isEqualTo("https://bitbucket.org/ws/app/pull-requests/3");
        assertThat(result.draft()).isTrue();
        RecordedRequest status = server.takeRequest();
        assertThat(line(status)).isEqualTo("POST /2.0/repositories/ws/app/commit/" + repos.head() + "/statuses/build");
        assertThat(body(status).path("state").asText()).isEqualTo("FAILED");
        assertThat(body(status).path("url").asText()).isEqualTo("http://127.0.0.1:7070/workflows/wf-1");
        assertThat(server.takeRequest().getUrl().queryParameter("q"))
                .isEqualTo("source.branch.name=\"volt/wf-1\" AND destination.branch.name=\"main\" AND state=\"OPEN\"");
        JsonNode created = body(server.takeRequest());
        assertThat(created.path("source").path("branch").path("name").asText()).isEqualTo("volt/wf-1");
        assertThat(created.path("destination").path("branch").path("name").asText())
                .isEqualTo("main");
        assertThat(created.path("draft").asBoolean()).isTrue();
    }

    @Test
    void bitbucketDataCenter_adoptsTheExistingPullRequestOn409AndUpdatesItAtItsVersion() throws Exception {
        String pull = """
        {"id":5,"version":2,"title":"Volt: Build a greeting service","state":"OPEN","open":true,"draft":false,
         "fromRef":{"id":"refs/heads/volt/wf-1"},"toRef":{"id":"refs/heads/main"},
         "links":{"self":[{"href":"https://bitbucket.example.com/projects/PRJ/repos/app/pull-requests/5"}]}}""";
        server.enqueue(json(204, ""));
        server.enqueue(json(200, "{\"size\":0,\"limit\":25,\"isLastPage\":true,\"values\":[],\"start\":0}"));
        server.enqueue(json(409, """
        {"errors":[{"context":null,"message":"Only one pull request may be open for a given source and target branch",
         "exceptionName":"com.atlassian.bitbucket.pull.DuplicatePullRequestException","existingPullRequest":%s}]}""".formatted(pull)));
        server.enqueue(
                json(200, "{\"size\":1,\"limit\":25,\"isLastPage\":true,\"values\":[" + pull + "],\"start\":0}"));
        server.enqueue(json(200, pull.replace("\"version\":2", "\"version\":3")));

        DeliveryResult result = Outcomes.result(delivery(ForgeKind.BITBUCKET_DATA_CENTER, "/", "PRJ/app", List.of())
                .deliver(request(task("T1", true)), context));

        assertThat(result.pullRequestUrl())
                .isEqualTo("https://bitbucket.example.com/projects/PRJ/repos/app/pull-requests/5");
        RecordedRequest status = server.takeRequest();
        assertThat(line(status)).isEqualTo("POST /rest/build-status/1.0/commits/" + repos.head());
        assertThat(body(status).path("state").asText()).isEqualTo("SUCCESSFUL");
        RecordedRequest list = server.takeRequest();
        assertThat(list.getUrl().encodedPath()).isEqualTo("/rest/api/1.0/projects/PRJ/repos/app/pull-requests");
        assertThat(list.getUrl().queryParameter("at")).isEqualTo("refs/heads/volt/wf-1");
        JsonNode created = body(server.takeRequest());
        assertThat(created.path("fromRef").path("id").asText()).isEqualTo("refs/heads/volt/wf-1");
        assertThat(created.path("toRef")
                        .path("repository")
                        .path("project")
                        .path("key")
                        .asText())
                .isEqualTo("PRJ");
        server.takeRequest();
        RecordedRequest update = server.takeRequest();
        assertThat(line(update)).isEqualTo("PUT /rest/api/1.0/projects/PRJ/repos/app/pull-requests/5");
        assertThat(body(update).path("version").asLong()).isEqualTo(2);
    }

    @Test
    void gitea_opensAWorkInProgressPullRequestAndFindsItAgainByItsBranches() throws Exception {
        String pull = """
        {"id":31,"number":9,"title":"WIP: Volt: Build a greeting service","state":"open",
         "html_url":"https://gitea.example.com/owner/app/pulls/9","head":{"ref":"volt/wf-1"},"base":{"ref":"main"}}""";
        server.enqueue(json(201, "{\"id\":1,\"status\":\"failure\",\"context\":\"volt-workflow/validation\"}"));
        server.enqueue(json(
                200, "[{\"number\":2,\"head\":{\"ref\":\"feature\"},\"base\":{\"ref\":\"main\"},\"html_url\":\"x\"}]"));
        server.enqueue(json(201, pull));
        GitDelivery delivery = delivery(ForgeKind.of("forgejo"), "/api/v1", "owner/app", List.of());
        DeliveryResult result = Outcomes.result(delivery.deliver(request(task("T1", false)), context));

        assertThat(result.pullRequestUrl()).isEqualTo("https://gitea.example.com/owner/app/pulls/9");
        assertThat(result.draft()).isTrue();
        RecordedRequest status = server.takeRequest();
        assertThat(line(status)).isEqualTo("POST /api/v1/repos/owner/app/statuses/" + repos.head());
        assertThat(body(status).path("state").asText()).isEqualTo("failure");
        server.takeRequest();
        assertThat(body(server.takeRequest()).path("title").asText()).isEqualTo("WIP: Volt: Build a greeting service");

        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + pull + "]"));
        server.enqueue(json(200, pull));
        Outcomes.result(delivery.deliver(request(task("T1", false)), context));
        server.takeRequest();
        server.takeRequest();
        RecordedRequest update = server.takeRequest();
        assertThat(line(update)).isEqualTo("PATCH /api/v1/repos/owner/app/pulls/9");
        assertThat(body(update).path("title").asText()).isEqualTo("WIP: Volt: Build a greeting service");
    }

    @Test
    void aTipThatIsNotWhatWasValidated_aFileEditedInTheWorkspaceSince_isAFailureStatusAndADraft() throws Exception {
        Files.writeString(repos.workspace.resolve("src/T1.txt"), "edited after validation\n");
        server.enqueue(json(201, "{\"state\":\"failure\"}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, GITHUB_PULL.formatted("true")));

        DeliveryResult result = Outcomes.result(delivery(ForgeKind.GITHUB, "/api/v3", "octo/hello", List.of())
                .deliver(request(task("T1", true), task("T2", true)), context));

        assertThat(result.draft()).isTrue();
        RecordedRequest status = server.takeRequest();
        assertThat(line(status)).isEqualTo("POST /api/v3/repos/octo/hello/statuses/" + repos.head());
        assertThat(body(status).path("state").asText()).isEqualTo("failure");
        assertThat(body(status).path("description").asText())
                .isEqualTo("2 of 2 tasks validated; 1 file differs from what was validated; not ready for review");
        server.takeRequest();
        JsonNode created = body(server.takeRequest());
        assertThat(created.path("draft").asBoolean()).isTrue();
        assertThat(created.path("body").asText())
                .contains("**Not as validated:** `" + repos.head().substring(0, 10)
                        + "` differs from the workspace validation ran in: src/T1.txt");
    }

    private static final String GITEA_PULL = """
        {"id":31,"number":9,"title":"Volt: Build a greeting service","state":"open",
         "html_url":"https://gitea.example.com/owner/app/pulls/9","head":{"ref":"volt/wf-1"},"base":{"ref":"main"}}""";

    /** Status, no open pull request, the pull request created: the calls before the labels. */
    private void giteaPullRequestCreated() {
        server.enqueue(json(201, "{\"id\":1,\"status\":\"success\",\"context\":\"volt-workflow/validation\"}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, GITEA_PULL));
    }

    private void skipRequests(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            server.takeRequest();
        }
    }

    @Test
    void gitea_labelsAreLookedUpByNameAcrossPagesAndAMissingOneIsCreated_thenAddedById() throws Exception {
        giteaPullRequestCreated();
        StringBuilder page = new StringBuilder("[");
        for (int i = 1; i <= 50; i++) {
            page.append(i == 1 ? "" : ",")
                    .append("{\"id\":")
                    .append(100 + i)
                    .append(",\"name\":\"area/")
                    .append(i)
                    .append("\",\"color\":\"00aabb\"}");
        }
        server.enqueue(json(200, page.append(']').toString()));
        server.enqueue(json(200, "[{\"id\":3,\"name\":\"volt\",\"color\":\"00aabb\",\"description\":\"\"}]"));
        server.enqueue(json(201, "{\"id\":7,\"name\":\"ai-generated\",\"color\":\"ededed\"}"));
        server.enqueue(json(200, "[{\"id\":3,\"name\":\"volt\"},{\"id\":7,\"name\":\"ai-generated\"}]"));

        DeliveryResult result =
                Outcomes.result(delivery(ForgeKind.GITEA, "/api/v1", "owner/app", List.of("volt", "ai-generated"))
                        .deliver(request(task("T1", true)), context));

        assertThat(result.pullRequestUrl()).isEqualTo("https://gitea.example.com/owner/app/pulls/9");
        skipRequests(3);
        RecordedRequest first = server.takeRequest();
        assertThat(line(first)).isEqualTo("GET /api/v1/repos/owner/app/labels");
        assertThat(first.getUrl().queryParameter("page")).isEqualTo("1");
        assertThat(first.getUrl().queryParameter("limit")).isEqualTo("50");
        assertThat(server.takeRequest().getUrl().queryParameter("page")).isEqualTo("2");
        RecordedRequest create = server.takeRequest();
        assertThat(line(create)).isEqualTo("POST /api/v1/repos/owner/app/labels");
        assertThat(create.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(body(create).path("name").asText()).isEqualTo("ai-generated");
        assertThat(body(create).path("color").asText()).matches("#[0-9a-f]{6}");
        RecordedRequest add = server.takeRequest();
        assertThat(line(add)).isEqualTo("POST /api/v1/repos/owner/app/issues/9/labels");
        assertThat(body(add).path("labels").toString()).isEqualTo("[3,7]");
    }

    @Test
    void gitea_aLabelCreatedMeanwhile_422AlreadyExists_isLookedUpAgainAndUsed() throws Exception {
        giteaPullRequestCreated();
        server.enqueue(json(200, "[]"));
        server.enqueue(
                json(422, "{\"message\":\"label already exists\",\"url\":\"https://gitea.example.com/api/swagger\"}"));
        server.enqueue(json(200, "[{\"id\":12,\"name\":\"volt\",\"color\":\"00aabb\"}]"));
        server.enqueue(json(200, "[{\"id\":12,\"name\":\"volt\"}]"));

        Outcomes.result(delivery(ForgeKind.GITEA, "/api/v1", "owner/app", List.of("volt"))
                .deliver(request(task("T1", true)), context));

        skipRequests(3);
        assertThat(line(server.takeRequest())).isEqualTo("GET /api/v1/repos/owner/app/labels");
        assertThat(line(server.takeRequest())).isEqualTo("POST /api/v1/repos/owner/app/labels");
        assertThat(line(server.takeRequest())).isEqualTo("GET /api/v1/repos/owner/app/labels");
        assertThat(body(server.takeRequest()).path("labels").toString()).isEqualTo("[12]");
    }

    @Test
    void gitea_aLabelRefusedThatDoesNotExist_a401_andARateLimit_areClassifiedErrors() throws Exception {
        giteaPullRequestCreated();
        server.enqueue(json(200, "[]"));
        server.enqueue(json(422, "{\"message\":\"[Color]: Size\"}"));
        server.enqueue(json(200, "[]"));
        StepError invalid = Outcomes.failure(delivery(ForgeKind.GITEA, "/api/v1", "owner/app", List.of("volt"))
                .deliver(request(task("T1", true)), context));
        assertThat(invalid.message()).contains("422").contains("[Color]: Size");
        assertThat(invalid.retryable()).isFalse();
        skipRequests(6);

        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + GITEA_PULL + "]"));
        server.enqueue(json(200, GITEA_PULL));
        server.enqueue(json(401, "{\"message\":\"token is required\"}"));
        StepError refused = Outcomes.failure(delivery(ForgeKind.GITEA, "/api/v1", "owner/app", List.of("volt"))
                .deliver(request(task("T1", true)), context));
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.message()).contains("401").doesNotContain(TOKEN);
        skipRequests(4);

        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + GITEA_PULL + "]"));
        server.enqueue(json(200, GITEA_PULL));
        server.enqueue(json(200, "[]"));
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "12")
                .body("rate limit exceeded")
                .build());
        StepError limited = Outcomes.failure(delivery(ForgeKind.GITEA, "/api/v1", "owner/app", List.of("volt"))
                .deliver(request(task("T1", true)), context));
        assertThat(limited.code()).isEqualTo(StepError.RATE_LIMITED);
        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void github_labelsAreAddedWhenAnOpenPullRequestIsUpdatedToo() throws Exception {
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + GITHUB_PULL.formatted("false") + "]"));
        server.enqueue(json(200, GITHUB_PULL.formatted("false")));
        server.enqueue(json(200, "[{\"id\":208045946,\"name\":\"volt\"}]"));

        Outcomes.result(delivery(ForgeKind.GITHUB, "/api/v3", "octo/hello", List.of("volt"))
                .deliver(request(task("T1", true)), context));

        skipRequests(2);
        assertThat(line(server.takeRequest())).isEqualTo("PATCH /api/v3/repos/octo/hello/pulls/1347");
        RecordedRequest labels = server.takeRequest();
        assertThat(line(labels)).isEqualTo("POST /api/v3/repos/octo/hello/issues/1347/labels");
        assertThat(body(labels).path("labels").toString()).isEqualTo("[\"volt\"]");
    }

    @Test
    void httpsGitCallsCarryTheTokenAsAHeaderFromTheEnvironment_andARefusedOneIsANamedErrorWithoutIt() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(401)
                .addHeader("WWW-Authenticate", "Basic realm=\"GitHub\"")
                .build());
        CredentialSource token = CredentialSource.of(new Credential.BearerToken(Secret.of(TOKEN)));
        Forge forge = Forges.create(
                ForgeKind.GITHUB,
                server.url("/api/v3").toString(),
                "octo/hello",
                transport,
                HttpOptions.DEFAULTS,
                token);
        GitDelivery delivery = new GitDelivery(
                repos.options().remote(server.url("/octo/hello.git").toString()).build(), forge, token);

        StepError error = Outcomes.failure(delivery.deliver(request(task("T1", true)), context));

        RecordedRequest refs = server.takeRequest();
        assertThat(refs.getUrl().encodedPath()).isEqualTo("/octo/hello.git/info/refs");
        assertThat(refs.getHeaders().get("Authorization"))
                .isEqualTo("Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        ("x-access-token:" + TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(error.retryable()).isFalse();
        assertThat(error.message())
                .startsWith("git ls-remote " + server.url("/octo/hello.git") + " failed")
                .endsWith("check the forge token")
                .doesNotContain(TOKEN);
    }

    @Test
    void forgeConfigurationErrorsNameTheProblem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ForgeKind.of("sourcehut"))
                .hasMessage(
                        "unknown forge 'sourcehut'; known: github, gitlab, bitbucket, bitbucket-datacenter, gitea, forgejo");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Forges.create(
                        ForgeKind.GITEA, null, "o/r", transport, HttpOptions.DEFAULTS, CredentialSource.NONE))
                .hasMessageContaining("self-hosted: give its API URL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Forges.create(
                        ForgeKind.GITHUB, null, "just-a-name", transport, HttpOptions.DEFAULTS, CredentialSource.NONE))
                .hasMessage("a GitHub repository is named OWNER/NAME, got 'just-a-name'");
    }

    private static String line(RecordedRequest request) {
        return request.getMethod() + " " + request.getUrl().encodedPath();
    }
}
