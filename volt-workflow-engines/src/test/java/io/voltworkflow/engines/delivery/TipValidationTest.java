package io.voltworkflow.engines.delivery;

import static io.voltworkflow.engines.delivery.Deliveries.body;
import static io.voltworkflow.engines.delivery.Deliveries.json;
import static io.voltworkflow.engines.delivery.Deliveries.request;
import static io.voltworkflow.engines.delivery.Deliveries.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.engine.DeliveryResult;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.engines.builtin.BuiltinOptions;
import io.voltworkflow.engines.builtin.CommandValidation;
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
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit status reports a validation of the pushed tip itself: the tasks' validation command run once in a
 * clean checkout of exactly that commit, against a real bare remote and a fake of GitHub's documented API. Two tasks
 * that each pass alone but clash together fail there, and the pull request is a draft; fixed, a repeated delivery
 * (a resume) reports success on the same commit and marks the draft ready for review.
 */
class TipValidationTest {
    private static final String PULL = """
      {"number":1347,"html_url":"https://github.com/octo/hello/pull/1347","draft":%s,"node_id":"PR_kwDOA1347",
       "head":{"ref":"volt/wf-1"},"base":{"ref":"main"}}""";

    @TempDir
    Path root;

    private Deliveries repos;
    private Path fixed;
    private MockWebServer server;
    private HttpTransport transport;
    private final TestContext context = TestContext.step(StepType.COMPLETION);

    @BeforeEach
    void start() throws Exception {
        repos = new Deliveries(root);
        repos.generated("T1", "T2");
        fixed = root.resolve("fixed");
        server = new MockWebServer();
        server.start();
        transport = HttpTransport.create();
    }

    @AfterEach
    void stop() {
        transport.close();
        server.close();
    }

    /** Each task alone passes; both together clash until {@code fixed} exists. Runs wherever it is started. */
    private GitDelivery delivery() throws Exception {
        Path check = Files.writeString(root.resolve("check.sh"), """
            if [ -f src/T1.txt ] && [ -f src/T2.txt ] && [ ! -e '%s' ]; then
              printf '<testsuite name="GreetingTest" tests="1" failures="1"><testcase classname="GreetingTest" \
            name="greetsOnce"><failure message="T1 and T2 both register /greet"/></testcase></testsuite>' \
            > "$VOLT_REPORTS_DIR/TEST-GreetingTest.xml"
              exit 1
            fi
            pwd > '%s'
            """.formatted(fixed, root.resolve("ran-in")));
        CommandValidation validation = new CommandValidation(BuiltinOptions.builder(repos.workspace)
                .validationCommand(List.of("sh", check.toString()))
                .build());
        CredentialSource token = CredentialSource.of(new Credential.BearerToken(Secret.of("t0ken")));
        Forge forge = Forges.create(
                ForgeKind.GITHUB, server.url("/").toString(), "octo/hello", transport, HttpOptions.DEFAULTS, token);
        return new GitDelivery(repos.pushing().build(), forge, token)
                .validatingTipWith(TipValidator.inCheckout(validation));
    }

    @Test
    void aTipThatPassesInACleanCheckoutGetsPendingThenSuccessOnThatCommitAndAReadyPullRequest() throws Exception {
        Files.createFile(fixed);
        server.enqueue(json(201, "{}"));
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, PULL.formatted("false")));

        DeliveryResult result =
                Outcomes.result(delivery().deliver(request(task("T1", true), task("T2", true)), context));

        String sha = repos.head();
        assertThat(result.draft()).isFalse();
        assertThat(result.tipValidation()).isNotNull();
        assertThat(result.tipValidation().passed()).isTrue();
        RecordedRequest pending = server.takeRequest();
        assertThat(pending.getUrl().encodedPath()).isEqualTo("/repos/octo/hello/statuses/" + sha);
        assertThat(body(pending).path("state").asText()).isEqualTo("pending");
        assertThat(body(pending).path("description").asText())
                .isEqualTo("validating the tip " + sha.substring(0, 10) + " in a clean checkout");
        RecordedRequest success = server.takeRequest();
        assertThat(success.getUrl().encodedPath()).isEqualTo("/repos/octo/hello/statuses/" + sha);
        assertThat(body(success).path("state").asText()).isEqualTo("success");
        assertThat(body(success).path("description").asText())
                .isEqualTo("2 of 2 tasks validated; tip " + sha.substring(0, 10) + " passed");
        server.takeRequest();
        JsonNode created = body(server.takeRequest());
        assertThat(created.path("draft").asBoolean()).isFalse();
        assertThat(created.path("body").asText())
                .contains("**Branch tip:** `" + sha.substring(0, 10)
                        + "` passed validation in a clean checkout, all tasks together: validation passed");
        // It ran in a checkout of the tip, not in the workspace, and the checkout is gone afterwards.
        Path ranIn = Path.of(Files.readString(root.resolve("ran-in")).strip());
        assertThat(ranIn).isNotEqualTo(repos.workspace).doesNotExist();
        assertThat(repos.git.run("worktree", "list").lines()).hasSize(1);
    }

    @Test
    void tasksThatPassAloneButClashTogetherFailOnTheTip_aDraft_andAfterTheFixTheSameCommitIsReportedGreen()
            throws Exception {
        GitDelivery delivery = delivery();
        server.enqueue(json(201, "{}"));
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, PULL.formatted("true")));

        DeliveryResult result = Outcomes.result(delivery.deliver(request(task("T1", true), task("T2", true)), context));

        String sha = repos.head();
        assertThat(result.draft()).isTrue();
        assertThat(result.tipValidation().passed()).isFalse();
        assertThat(body(server.takeRequest()).path("state").asText()).isEqualTo("pending");
        JsonNode failure = body(server.takeRequest());
        assertThat(failure.path("state").asText()).isEqualTo("failure");
        assertThat(failure.path("description").asText())
                .startsWith("2 of 2 tasks validated; tip " + sha.substring(0, 10)
                        + " failed, not ready for review: validation failed: 1 test, 1 failure");
        server.takeRequest();
        JsonNode created = body(server.takeRequest());
        assertThat(created.path("draft").asBoolean()).isTrue();
        assertThat(created.path("body").asText())
                .contains("### Failing validation of the branch tip\n\nValidation of `" + sha.substring(0, 10)
                        + "`, all tasks together, in a clean checkout of that commit:")
                .contains("T1 and T2 both register /greet")
                .contains("| T1 | Implement T1 | ✅ passed");
        assertThat(root.resolve("ran-in")).doesNotExist();

        // Fixed (here: outside the repository), delivered again as a resume does: the same commit, now green.
        Files.createFile(fixed);
        server.enqueue(json(201, "{}"));
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[" + PULL.formatted("true") + "]"));
        server.enqueue(json(200, PULL.formatted("true")));
        server.enqueue(
                json(200, "{\"data\":{\"markPullRequestReadyForReview\":{\"pullRequest\":{\"isDraft\":false}}}}"));
        context.progress.clear();

        DeliveryResult again = Outcomes.result(delivery.deliver(request(task("T1", true), task("T2", true)), context));

        assertThat(again.headCommit()).isEqualTo(sha);
        assertThat(again.tipValidation().passed()).isTrue();
        assertThat(again.draft()).isFalse();
        assertThat(body(server.takeRequest()).path("state").asText()).isEqualTo("pending");
        JsonNode success = body(server.takeRequest());
        assertThat(success.path("state").asText()).isEqualTo("success");
        assertThat(success.path("description").asText()).contains("tip " + sha.substring(0, 10) + " passed");
        server.takeRequest();
        assertThat(body(server.takeRequest()).path("body").asText())
                .doesNotContain("Failing validation")
                .contains("passed validation in a clean checkout");
        assertThat(body(server.takeRequest()).path("query").asText()).contains("markPullRequestReadyForReview");
    }

    @Test
    void aCheckoutLeftBehindByAKilledAttemptIsReplaced() throws Exception {
        Files.createFile(fixed);
        GitDelivery delivery = delivery();
        Path leftover = TipValidation.checkoutDirectory(
                new io.voltworkflow.engines.delivery.git.GitRepository(
                        repos.workspace, io.voltworkflow.engines.delivery.git.GitIdentity.DEFAULT),
                context.workflowId());
        repos.git.run("worktree", "add", "--detach", "-q", leftover.toString(), "main");
        Files.writeString(leftover.resolve("src-stale.txt"), "from the killed attempt");
        server.enqueue(json(201, "{}"));
        server.enqueue(json(201, "{}"));
        server.enqueue(json(200, "[]"));
        server.enqueue(json(201, PULL.formatted("false")));

        DeliveryResult result = Outcomes.result(delivery.deliver(request(task("T1", true), task("T2", true)), context));

        assertThat(result.tipValidation().passed()).isTrue();
        assertThat(leftover).doesNotExist();
        assertThat(repos.git.run("worktree", "list").lines()).hasSize(1);
    }
}
