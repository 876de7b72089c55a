package io.jenkins.plugins.voltworkflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voltworkflow.engines.delivery.forges.ForgeKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliverySpecTest {

    private static DeliveryConfiguration github() {
        DeliveryConfiguration configuration = new DeliveryConfiguration();
        configuration.setForge("github");
        configuration.setCredentialsId("github-token");
        return configuration;
    }

    @Test
    void aMultibranchBuildDeliversToItsOwnRepositoryAndBranch() {
        DeliverySpec spec = DeliverySpec.resolve(
                github(), Map.of("BRANCH_NAME", "develop"), List.of("https://github.com/octo/hello.git"), null);

        assertThat(spec.remote()).isEqualTo("https://github.com/octo/hello.git");
        assertThat(spec.repository()).isEqualTo("octo/hello");
        assertThat(spec.baseBranch()).isEqualTo("develop");
        assertThat(spec.apiUrl()).isNull(); // github.com: the public API
        assertThat(spec.forgeKind()).contains(ForgeKind.GITHUB);
    }

    @Test
    void aPullRequestBuildTargetsThePullRequestsBaseAndGitUrlWins() {
        DeliverySpec spec = DeliverySpec.resolve(
                github(),
                Map.of(
                        "GIT_URL",
                        "git@github.example.com:team/app.git",
                        "BRANCH_NAME",
                        "PR-4",
                        "CHANGE_TARGET",
                        "main"),
                List.of("https://elsewhere.example.com/x/y.git"),
                null);

        assertThat(spec.remote()).isEqualTo("git@github.example.com:team/app.git");
        assertThat(spec.repository()).isEqualTo("team/app");
        assertThat(spec.baseBranch()).isEqualTo("main");
        assertThat(spec.apiUrl()).isEqualTo("https://github.example.com/api/v3"); // GitHub Enterprise
    }

    @Test
    void stepValuesWinOverDefaultsAndTheJob() {
        DeliveryConfiguration defaults = github();
        defaults.setApiUrl("https://git.example.com/api/v3");
        DeliveryConfiguration step = new DeliveryConfiguration();
        step.setRemote("https://git.example.com/octo/other.git");
        step.setBaseBranch("release");
        step.setLabels("volt, ai-generated ,");

        DeliverySpec spec = DeliverySpec.resolve(
                step.over(defaults), Map.of("BRANCH_NAME", "main"), List.of("https://x/y/z.git"), "https://ci/job/1/");

        assertThat(spec.remote()).isEqualTo("https://git.example.com/octo/other.git");
        assertThat(spec.repository()).isEqualTo("octo/other");
        assertThat(spec.apiUrl()).isEqualTo("https://git.example.com/api/v3");
        assertThat(spec.baseBranch()).isEqualTo("release");
        assertThat(spec.options(Path.of("repo"), "release").labels()).containsExactly("volt", "ai-generated");
        assertThat(spec.options(Path.of("repo"), "release").workflowPage()).contains("https://ci/job/1/");
    }

    @Test
    void missingPiecesAreNamed() {
        assertThatThrownBy(() -> DeliverySpec.resolve(github(), Map.of(), List.of(), null))
                .hasMessageContaining("no remote to push to")
                .hasMessageContaining("checkout scm");
        DeliveryConfiguration noToken = github();
        noToken.setCredentialsId(null);
        assertThatThrownBy(() -> DeliverySpec.resolve(noToken, Map.of(), List.of("https://github.com/a/b.git"), null))
                .hasMessageContaining("credentialsId is required");
        DeliveryConfiguration unknown = github();
        unknown.setForge("sourceforge");
        assertThatThrownBy(() -> DeliverySpec.resolve(unknown, Map.of(), List.of("https://github.com/a/b.git"), null))
                .hasMessageContaining("unknown forge 'sourceforge'");
        DeliveryConfiguration badBranch = github();
        badBranch.setBranch("volt/fixed");
        assertThatThrownBy(() -> DeliverySpec.resolve(badBranch, Map.of(), List.of("https://github.com/a/b.git"), null))
                .hasMessageContaining("{workflowId}");
    }

    @Test
    void withoutAForgeTheBranchIsOnlyPushed() {
        DeliverySpec spec =
                DeliverySpec.resolve(new DeliveryConfiguration(), Map.of(), List.of("/srv/git/app.git"), null);

        assertThat(spec.forgeKind()).isEmpty();
        assertThat(spec.remote()).isEqualTo("/srv/git/app.git");
        assertThat(spec.baseBranch()).isNull(); // the remote's default branch, asked when delivering
    }
}
