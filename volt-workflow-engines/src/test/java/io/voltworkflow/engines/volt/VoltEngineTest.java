package io.voltworkflow.engines.volt;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.core.engine.CodegenEngine;
import io.voltworkflow.core.engine.CodegenJob;
import io.voltworkflow.core.engine.CodegenPoll;
import io.voltworkflow.core.engine.CodegenRequest;
import io.voltworkflow.core.engine.CodegenResult;
import io.voltworkflow.core.engine.TaskCreationRequest;
import io.voltworkflow.core.engine.TaskPlan;
import io.voltworkflow.core.engine.ValidationRequest;
import io.voltworkflow.core.engine.ValidationResult;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.core.model.StepType;
import io.voltworkflow.core.model.TaskSpec;
import io.voltworkflow.engines.EngineConfig;
import io.voltworkflow.engines.EngineKind;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.engines.http.HttpAdapterContract;
import io.voltworkflow.engines.testing.Outcomes;
import io.voltworkflow.engines.testing.TestContext;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class VoltEngineTest extends HttpAdapterContract {
    private static final TaskSpec TASK = new TaskSpec("T1", "Login form", "", List.of(), List.of("works"), List.of());

    @Override
    protected EngineConfig.Builder config(String url) {
        return EngineConfig.builder(EngineKind.VOLT)
                .url(url)
                .credentials(CredentialSource.of(new Credential.BearerToken(Secret.of(SECRET))));
    }

    @Override
    protected MockResponse.Builder success() {
        return new MockResponse.Builder().code(200).body(ANALYSIS_JSON);
    }

    @Override
    protected void assertAuthenticated(RecordedRequest request) {
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/analyze");
    }

    private CodegenEngine codegen() {
        return factory.codegen(config(url()).build());
    }

    @Test
    void everyRequestCarriesTheIdempotencyKeyAndStepIdentity() throws Exception {
        server.enqueue(json(202, "{\"jobId\":\"job-1\",\"status\":\"queued\"}"));
        server.enqueue(json(200, "{\"status\":\"running\",\"message\":\"writing tests\",\"pollAfterSeconds\":5}"));
        server.enqueue(json(
                200,
                "{\"status\":\"succeeded\",\"result\":{\"summary\":\"done\",\"patch\":\"diff --git a/x b/x\","
                        + "\"files\":[\"x\"],\"reference\":\"https://git.example/pr/1\",\"generator\":\"my-agent\"}}"));
        TestContext context = TestContext.step(StepType.CODEGEN);
        CodegenEngine engine = codegen();

        CodegenJob job = Outcomes.result(engine.submit(new CodegenRequest("req", null, null, TASK), context));
        CodegenPoll running = Outcomes.result(engine.poll(job, context));
        CodegenPoll done = Outcomes.result(engine.poll(job, context));

        assertThat(job).isEqualTo(new CodegenJob("job-1", "volt"));
        assertThat(running).isEqualTo(new CodegenPoll.Running("writing tests", Duration.ofSeconds(5)));
        assertThat(done).isInstanceOfSatisfying(CodegenPoll.Succeeded.class, succeeded -> {
            CodegenResult result = succeeded.result();
            assertThat(result.reference()).isEqualTo("https://git.example/pr/1");
            assertThat(result.generator()).isEqualTo("my-agent");
        });
        for (String path : List.of("/v1/codegen/jobs", "/v1/codegen/jobs/job-1", "/v1/codegen/jobs/job-1")) {
            RecordedRequest request = server.takeRequest();
            assertThat(request.getUrl().encodedPath()).isEqualTo(path);
            assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo(context.idempotencyKey());
            assertThat(request.getHeaders().get("X-Volt-Workflow-Id")).isEqualTo("wf-1");
            assertThat(request.getHeaders().get("X-Volt-Step")).isEqualTo("codegen");
            assertThat(request.getHeaders().get("X-Volt-Attempt")).isEqualTo("1");
        }
    }

    @Test
    void nonAsciiStepNamesArePercentEncodedInHeaders() throws Exception {
        server.enqueue(success().build());
        TestContext context = new TestContext("wf-1", "générer le code", StepType.ANALYSIS);

        Outcomes.result(analyze(config(url()).build(), context));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("X-Volt-Step")).isEqualTo("g%C3%A9n%C3%A9rer+le+code");
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("wf-1%3Ag%C3%A9n%C3%A9rer+le+code");
    }

    @Test
    void resubmissionSendsTheSameIdempotencyKey() throws Exception {
        server.enqueue(json(202, "{\"jobId\":\"job-1\"}"));
        server.enqueue(json(200, "{\"jobId\":\"job-1\"}"));
        TestContext context = TestContext.step(StepType.CODEGEN);
        CodegenRequest request = new CodegenRequest("req", null, null, TASK);

        CodegenJob first = Outcomes.result(codegen().submit(request, context));
        CodegenJob second = Outcomes.result(codegen().submit(request, context));

        assertThat(second).isEqualTo(first);
        assertThat(server.takeRequest().getHeaders().get("Idempotency-Key"))
                .isEqualTo(server.takeRequest().getHeaders().get("Idempotency-Key"));
    }

    @Test
    void aForgottenJobPollsAsJobNotFound() {
        server.enqueue(json(404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such job\"}}"));

        CodegenPoll poll =
                Outcomes.result(codegen().poll(new CodegenJob("job-9", "volt"), TestContext.step(StepType.CODEGEN)));

        assertThat(poll).isInstanceOfSatisfying(CodegenPoll.Failed.class, failed -> {
            assertThat(failed.error().code()).isEqualTo(StepError.JOB_NOT_FOUND);
            assertThat(failed.error().retryable()).isTrue();
        });
    }

    @Test
    void aFailedJobCarriesTheEnginesClassification() {
        server.enqueue(json(
                200,
                "{\"status\":\"failed\",\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"model busy\","
                        + "\"retryable\":true,\"retryAfterSeconds\":12}}"));

        CodegenPoll poll =
                Outcomes.result(codegen().poll(new CodegenJob("job-1", "volt"), TestContext.step(StepType.CODEGEN)));

        assertThat(poll).isInstanceOfSatisfying(CodegenPoll.Failed.class, failed -> {
            assertThat(failed.error().code()).isEqualTo(StepError.RATE_LIMITED);
            assertThat(failed.error().retryable()).isTrue();
            assertThat(failed.error().retryAfter()).isEqualTo(Duration.ofSeconds(12));
        });
    }

    @Test
    void anUnknownJobStatusIsAnInvalidResponse() {
        server.enqueue(json(200, "{\"status\":\"thinking\"}"));

        StepError error =
                Outcomes.failure(codegen().poll(new CodegenJob("job-1", "volt"), TestContext.step(StepType.CODEGEN)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_RESPONSE);
        assertThat(error.message()).contains("'thinking'");
    }

    @Test
    void cancelDeletesTheJob_andAnAlreadyGoneJobIsFine() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        server.enqueue(json(404, "{}"));
        TestContext context = TestContext.step(StepType.CODEGEN);

        Outcomes.result(codegen().cancel(new CodegenJob("job-1", "volt"), context));
        Outcomes.result(codegen().cancel(new CodegenJob("job-2", "volt"), context));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/codegen/jobs/job-1");
    }

    @Test
    void createTasksChecksThePlan() {
        server.enqueue(json(
                200,
                "{\"tasks\":[{\"id\":\"A\",\"title\":\"a\",\"dependsOn\":[\"B\"]},"
                        + "{\"id\":\"B\",\"title\":\"b\",\"dependsOn\":[\"A\"]}]}"));

        StepError error = Outcomes.failure(factory.nlp(config(url()).build())
                .createTasks(new TaskCreationRequest("req", null, null), TestContext.step(StepType.TASK_CREATION)));

        assertThat(error.code()).isEqualTo(StepError.INVALID_TASK_PLAN);
        assertThat(error.message()).contains("cycle");
    }

    @Test
    void createTasksReadsThePlan() {
        server.enqueue(json(
                200,
                "{\"tasks\":[{\"id\":\"A\",\"title\":\"a\"},{\"id\":\"B\",\"title\":\"b\",\"dependsOn\":[\"A\"]}]}"));

        TaskPlan plan = Outcomes.result(factory.nlp(config(url()).build())
                .createTasks(new TaskCreationRequest("req", null, null), TestContext.step(StepType.TASK_CREATION)));

        assertThat(plan.tasks()).extracting(TaskSpec::id).containsExactly("A", "B");
        assertThat(plan.tasks().get(1).dependsOn()).containsExactly("A");
    }

    @Test
    void validateReadsTheCounts() {
        server.enqueue(json(
                200,
                "{\"passed\":false,\"tests\":10,\"failures\":2,\"errors\":0,\"skipped\":1,"
                        + "\"summary\":\"2 failed\",\"findings\":[\"LoginTest.rejectsBadPassword\"]}"));

        ValidationResult result =
                Outcomes.result(factory.validation(config(url()).build())
                        .validate(new ValidationRequest(null, TASK, null), TestContext.step(StepType.VALIDATION)));

        assertThat(result.passed()).isFalse();
        assertThat(result.tests()).isEqualTo(10);
        assertThat(result.failures()).isEqualTo(2);
        assertThat(result.findings()).containsExactly("LoginTest.rejectsBadPassword");
    }
}
