package io.voltworkflow.engines.delivery;

import static io.voltworkflow.engines.delivery.Deliveries.request;
import static io.voltworkflow.engines.delivery.Deliveries.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.DeliveryResult;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.engines.testing.Git;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitDeliveryTest {
    @TempDir
    Path root;

    private Deliveries repos;
    private final TestContext context = TestContext.step(StepType.COMPLETION);

    @BeforeEach
    void repositories() throws Exception {
        repos = new Deliveries(root);
    }

    @Test
    void eachTaskBecomesOneCommitWithTrailersOnTheWorkflowsBranch_leavingHeadIndexAndWorkingTreeAlone()
            throws Exception {
        DeliveryResult result = Outcomes.result(
                new GitDelivery(repos.options().build()).deliver(request(task("T1", true), task("T2", true)), context));

        assertThat(result.branch()).isEqualTo("volt/wf-1");
        assertThat(result.pullRequestUrl()).isNull();
        assertThat(result.summary()).isEqualTo("branch volt/wf-1 (2 commits) in " + repos.workspace.toRealPath());
        assertThat(repos.git.run("rev-parse", "volt/wf-1").strip()).isEqualTo(result.headCommit());
        assertThat(repos.git.run("log", "--format=%s", "main..volt/wf-1")).isEqualTo("Implement T2\nImplement T1\n");
        assertThat(repos.git.run("log", "-1", "--format=%B", "volt/wf-1~1")).isEqualTo("""
        Implement T1

        Does T1.

        Acceptance criteria:
        - T1 works
        - T1 is tested

        Volt-Workflow-Id: wf-1
        Volt-Task-Id: T1
        Volt-Engine: gpt-test
        Volt-Model: gpt-test-1
        Volt-Repair-Round: 1

        """);
        assertThat(repos.git.run("log", "-1", "--format=%an <%ae>", "volt/wf-1"))
                .isEqualTo("Volt Workflow <volt-workflow@localhost>\n");
        assertThat(repos.git.run("show", "volt/wf-1:src/T2.txt")).isEqualTo("task T2\n");
        assertThat(repos.git.run("symbolic-ref", "--short", "HEAD")).isEqualTo("main\n");
        assertThat(repos.git.run("status", "--porcelain")).isEmpty();
        assertThat(Files.exists(repos.workspace.resolve("src/T1.txt"))).isFalse();
    }

    @Test
    void aDeliveryRepeatedAfterACrashRecognisesItsCommitsByTrailerAndMakesNoSecondOne() throws Exception {
        GitDelivery delivery = new GitDelivery(repos.options().build());
        // The first attempt committed T1 and died before its checkpoint; the re-issued step delivers both tasks.
        String afterCrash = Outcomes.result(delivery.deliver(request(task("T1", true)), context))
                .headCommit();
        DeliveryResult again = Outcomes.result(delivery.deliver(request(task("T1", true), task("T2", true)), context));
        DeliveryResult third = Outcomes.result(delivery.deliver(request(task("T1", true), task("T2", true)), context));

        assertThat(repos.git.run("rev-list", "--count", "main..volt/wf-1")).isEqualTo("2\n");
        assertThat(repos.git.run("rev-parse", "volt/wf-1~1").strip()).isEqualTo(afterCrash);
        assertThat(third.headCommit()).isEqualTo(again.headCommit());
        assertThat(context.progress)
                .contains("task T1 is already committed as " + afterCrash.substring(0, 10) + " on volt/wf-1");
    }

    @Test
    void aBranchTheWorkflowDidNotCreateIsLeftAsItIs() throws Exception {
        repos.git.run("checkout", "-q", "-b", "volt/wf-1");
        Files.writeString(repos.workspace.resolve("mine.txt"), "someone else's work\n");
        repos.git.run("add", "mine.txt");
        repos.git.run("commit", "-q", "-m", "unrelated");
        repos.git.run("checkout", "-q", "main");
        String before = repos.git.run("rev-parse", "volt/wf-1");

        StepError error =
                Outcomes.failure(new GitDelivery(repos.options().build()).deliver(request(task("T1", true)), context));

        assertThat(error.code()).isEqualTo(StepError.INVALID_INPUT);
        assertThat(error.retryable()).isFalse();
        assertThat(error.message())
                .startsWith("branch volt/wf-1 in ")
                .contains("that workflow wf-1 did not make; it is left as it is");
        assertThat(repos.git.run("rev-parse", "volt/wf-1")).isEqualTo(before);
    }

    @Test
    void pushesOnceAsAFastForwardAndContinuesTheRemoteBranchWhenTheWorkspaceLostIt() throws Exception {
        GitDelivery delivery = new GitDelivery(repos.pushing().build());
        DeliveryResult first = Outcomes.result(delivery.deliver(request(task("T1", true)), context));
        assertThat(repos.bare.run("rev-parse", "volt/wf-1").strip()).isEqualTo(first.headCommit());
        assertThat(first.summary()).endsWith(", pushed to " + repos.remote);

        // A fresh workspace (another agent, a wiped checkout) has no local branch: it continues the pushed one.
        repos.git.run("branch", "-D", "volt/wf-1");
        DeliveryResult second = Outcomes.result(delivery.deliver(request(task("T1", true), task("T2", true)), context));

        assertThat(repos.bare.run("rev-list", "--count", "main..volt/wf-1")).isEqualTo("2\n");
        assertThat(repos.bare.run("rev-parse", "volt/wf-1~1").strip()).isEqualTo(first.headCommit());
        assertThat(repos.bare.run("rev-parse", "volt/wf-1").strip()).isEqualTo(second.headCommit());
        context.progress.clear();
        Outcomes.result(delivery.deliver(request(task("T1", true), task("T2", true)), context));
        assertThat(context.progress).contains("branch volt/wf-1 is up to date on " + repos.remote);
    }

    @Test
    void aPushThatLosesTheRaceToThePushOfAKilledRunOfTheSameCommitCountsAsPushed() throws Exception {
        // A run killed during its push leaves git running; the resumed run pushes the same commit. Whichever comes
        // second finds the branch created under it ("cannot lock ref ... reference already exists"). The remote's
        // pre-receive hook plays the first push: it pushes the same commit from the workspace, once.
        Path hook = repos.remote.resolve("hooks").resolve("pre-receive");
        Path once = root.resolve("first-push-done");
        Files.writeString(hook, """
                #!/bin/sh
                cat > /dev/null
                [ -e '%s' ] && exit 0
                touch '%s'
                unset GIT_QUARANTINE_PATH GIT_DIR GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
                git -C '%s' push -q '%s' volt/wf-1:refs/heads/volt/wf-1
                """.formatted(once, once, repos.workspace, repos.remote));
        hook.toFile().setExecutable(true);

        DeliveryResult result =
                Outcomes.result(new GitDelivery(repos.pushing().build()).deliver(request(task("T1", true)), context));

        assertThat(Files.exists(once)).isTrue();
        assertThat(repos.bare.run("rev-parse", "volt/wf-1").strip()).isEqualTo(result.headCommit());
        assertThat(context.progress).contains("branch volt/wf-1 is up to date on " + repos.remote);
    }

    @Test
    void aRemoteBranchWithForeignCommitsIsNeverOverwritten() throws Exception {
        Path other = Files.createDirectories(root.resolve("other"));
        Git someoneElse = Git.init(other);
        Files.writeString(other.resolve("theirs.txt"), "their work\n");
        someoneElse.run("add", "theirs.txt");
        someoneElse.run("commit", "-q", "-m", "their work");
        someoneElse.run("push", "-q", "-f", repos.remote.toString(), "main:volt/wf-1");
        String theirs = repos.bare.run("rev-parse", "volt/wf-1");

        StepError error =
                Outcomes.failure(new GitDelivery(repos.pushing().build()).deliver(request(task("T1", true)), context));

        assertThat(error.code()).isEqualTo(StepError.INVALID_INPUT);
        assertThat(error.message()).contains("on " + repos.remote).contains("did not make; it is left as it is");
        assertThat(repos.bare.run("rev-parse", "volt/wf-1")).isEqualTo(theirs);
        assertThat(repos.git.run("branch", "--list", "volt/wf-1")).isEmpty();
    }

    @Test
    void inARepositoryWithoutCommitsTheBranchStartsTheHistory() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));
        new ProcessBuilder("git", "init", "-q", empty.toString()).start().waitFor();

        DeliveryResult result = Outcomes.result(
                new GitDelivery(DeliveryOptions.builder(empty).build()).deliver(request(task("T1", true)), context));

        assertThat(result.headCommit()).isNotBlank();
        assertThat(new ProcessBuilder("git", "-C", empty.toString(), "rev-list", "--count", "volt/wf-1")
                        .start()
                        .getInputStream()
                        .readAllBytes())
                .asString()
                .isEqualTo("1\n");
    }

    @Test
    void aBaseBranchMissingFromTheWorkspaceIsRefusedBeforeTheWorkflowStarts() {
        GitDelivery delivery =
                new GitDelivery(repos.options().baseBranch("nosuch").build());

        org.assertj.core.api.Assertions.assertThatThrownBy(delivery::checkBeforeStart)
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(StepError.INVALID_INPUT);
                    assertThat(e.error().message())
                            .isEqualTo(
                                    "the base branch 'nosuch' does not exist in " + repos.workspace.toAbsolutePath());
                });
        new GitDelivery(repos.pushing().build()).checkBeforeStart();
    }

    @Test
    void aPushRemotePathThatDoesNotExistIsAConfigurationErrorNamingThePath_notRetried() throws Exception {
        Path missing = root.resolve("no-such-remote.git");
        GitDelivery delivery =
                new GitDelivery(repos.options().remote(missing.toString()).build());

        org.assertj.core.api.Assertions.assertThatThrownBy(delivery::checkBeforeStart)
                .isInstanceOfSatisfying(EngineException.class, e -> assertNotARepository(e.error(), missing));
        assertNotARepository(Outcomes.failure(delivery.deliver(request(task("T1", true)), context)), missing);
    }

    private static void assertNotARepository(StepError error, Path remote) {
        assertThat(error.code()).isEqualTo(StepError.INVALID_INPUT);
        assertThat(error.retryable()).isFalse();
        assertThat(error.message()).contains(remote.toString()).contains("the delivery remote is not a git repository");
    }

    @Test
    void optionsNameWhatIsWrong() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> repos.options().branchTemplate("volt/fixed").build())
                .hasMessageContaining("must contain {workflowId}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        repos.options().branchTemplate("volt..x/{workflowId}").build())
                .hasMessageContaining("not a valid git branch name");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> repos.options().remote("--upload-pack=evil").build())
                .hasMessageContaining("must be a URL, a path or a remote's name");
    }
}
