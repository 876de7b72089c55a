package io.voltworkflow.engines.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.AnalysisRequest;
import io.voltworkflow.core.engine.AnalysisResult;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.engines.testing.TestContext;
import org.junit.jupiter.api.Test;

class HeuristicAnalyzerTest {

    @Test
    void aLeadInFollowedByAListOfClausesIsOneRequirementPerClause() {
        assertThat(HeuristicAnalyzer.listItems(
                        "Build a REST API for user management: users can register, log in with JWT tokens, reset their password, "
                                + "and admins can list and deactivate users"))
                .containsExactly(
                        "Users can register",
                        "Log in with JWT tokens",
                        "Reset their password",
                        "Admins can list and deactivate users");
    }

    @Test
    void sentencesWithoutAClauseListStayWhole() {
        assertThat(HeuristicAnalyzer.listItems("Note: this is one requirement"))
                .containsExactly("Note: this is one requirement");
        assertThat(HeuristicAnalyzer.listItems("Support red, green and blue themes"))
                .containsExactly("Support red, green and blue themes");
        assertThat(HeuristicAnalyzer.listItems("Colours: red, green")).containsExactly("Colours: red, green");
    }

    @Test
    void aLastClauseJoinedWithCommaAndIsARequirementOfItsOwn() {
        assertThat(HeuristicAnalyzer.listItems("Store user records in PostgreSQL, and document it"))
                .containsExactly("Store user records in PostgreSQL", "Document it");
        assertThat(HeuristicAnalyzer.listItems("Export the report as CSV, then email it to admins"))
                .containsExactly("Export the report as CSV", "Email it to admins");
        assertThat(HeuristicAnalyzer.listItems("Users can register, and leave"))
                .as("a one-word clause keeps it whole")
                .containsExactly("Users can register, and leave");
        assertThat(HeuristicAnalyzer.statements("Users can rename buckets, and document it. Thanks all."))
                .containsExactly("Users can rename buckets", "Document it");
    }

    @Test
    void moreStatementsThanTheTaskLimitIsAnErrorThatSaysSo_neverASilentCut() {
        String requirement = String.join(
                " ",
                java.util.stream.IntStream.rangeClosed(1, 201)
                        .mapToObj(i -> "Users can rename bucket " + i + ".")
                        .toList());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeuristicAnalyzer.statements(requirement))
                .isInstanceOfSatisfying(io.voltworkflow.core.engine.EngineException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(io.voltworkflow.core.model.StepError.INVALID_INPUT);
                    assertThat(e.error().message()).contains("201 statements").contains("at most 200");
                });
        assertThat(HeuristicAnalyzer.statements(requirement.substring(0, requirement.lastIndexOf(" Users"))))
                .hasSize(200);
    }

    @Test
    void theSameRequirementAlwaysGivesTheSamePlanWithLayeredDependencies() {
        String requirement = "Build a REST API for user management: users can register, log in with JWT tokens, "
                + "reset their password, and admins can list and deactivate users. Store user records in PostgreSQL. "
                + "Add integration tests for every endpoint.";
        AnalysisResult first = new HeuristicAnalyzer()
                .analyze(
                        new AnalysisRequest(requirement, null),
                        new TestContext("wf-h", "Requirement Analysis", io.voltworkflow.core.model.StepType.ANALYSIS))
                .toCompletableFuture()
                .join();
        AnalysisResult second = new HeuristicAnalyzer()
                .analyze(
                        new AnalysisRequest(requirement, null),
                        new TestContext("wf-h", "Requirement Analysis", io.voltworkflow.core.model.StepType.ANALYSIS))
                .toCompletableFuture()
                .join();
        assertThat(first).isEqualTo(second);
        assertThat(first.proposedTasks()).hasSize(6);
        TaskSpec tests = first.proposedTasks().get(5);
        assertThat(tests.title()).startsWith("Add integration tests");
        assertThat(tests.dependsOn()).isNotEmpty();
    }
}
