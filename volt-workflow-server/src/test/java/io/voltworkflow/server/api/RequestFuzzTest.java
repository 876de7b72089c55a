package io.voltworkflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.testing.ServerFixture.Reply;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.HttpUrl;

/**
 * Issue 7, bad input: random and half-valid request bodies and query strings. Every answer is a 2xx or a 4xx in the
 * error shape, never a 5xx, and a refused creation changes nothing.
 */
class RequestFuzzTest {
    private static ServerFixture fixture;

    @BeforeContainer
    static void start() {
        fixture = new ServerFixture();
    }

    @AfterContainer
    static void stop() {
        fixture.close();
    }

    @Property(tries = 300, seed = "20261125")
    void createRefusesBadBodiesCleanlyAndChangesNothing(@ForAll("bodies") String body) {
        int before = fixture.orchestrator
                .listWorkflows(new WorkflowQuery(null, null, null, 0, 1000))
                .size();
        Reply reply = fixture.post("/api/v1/workflows", body);

        assertThat(reply.status()).as(body).isIn(201, 400, 409, 413);
        int after = fixture.orchestrator
                .listWorkflows(new WorkflowQuery(null, null, null, 0, 1000))
                .size();
        if (reply.status() == 201) {
            assertThat(after).isBetween(before, before + 1);
        } else {
            assertErrorShape(reply);
            assertThat(after).as(body).isEqualTo(before);
        }
    }

    @Property(tries = 300, seed = "20261125")
    void queriesAreAnsweredOrRefusedNeverFailed(@ForAll("paths") String path, @ForAll("queryValues") String value) {
        HttpUrl url = HttpUrl.get(fixture.url(path))
                .newBuilder()
                .addQueryParameter("state", value)
                .addQueryParameter("after", value)
                .addQueryParameter("limit", value)
                .addQueryParameter("label", value)
                .addQueryParameter("offset", value)
                .build();
        Reply reply = fixture.call(fixture.request("/").url(url).get().build());

        assertThat(reply.status()).as(url.toString()).isIn(200, 400, 404);
        if (reply.status() != 200) {
            assertErrorShape(reply);
        }
    }

    private static void assertErrorShape(Reply reply) {
        JsonNode error = reply.error();
        assertThat(error).as(reply.body()).isNotNull();
        assertThat(error.get("code").isTextual()).isTrue();
        assertThat(error.get("message").isTextual()).isTrue();
        assertThat(error.has("field")).isTrue();
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings()
                        .ofMaxLength(20)
                        .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[1,{\"a\":null}]", "1e999", "-0", "\"\\u0000\""));
        Arbitrary<String> field =
                Arbitraries.of("requirement", "projectContext", "start", "options", "requirment", "", "options.labels");
        Arbitrary<String> optionField =
                Arbitraries.of("maxConcurrentSteps", "deadlineMs", "budget", "labels", "workflowId", "priority");
        Arbitrary<String> options =
                Arbitraries.maps(optionField, scalar).ofMaxSize(3).map(RequestFuzzTest::object);
        Arbitrary<String> object = Arbitraries.maps(field, Arbitraries.oneOf(scalar, options))
                .ofMaxSize(4)
                .map(RequestFuzzTest::object);
        Arbitrary<String> garbage = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> truncated = object.map(s -> s.substring(0, s.length() / 2));
        return Arbitraries.oneOf(object, object, garbage, truncated, scalar);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(
                "/api/v1/workflows",
                "/api/v1/workflows/wf-x/events",
                "/api/v1/analytics",
                "/api/v1/workflows/wf-x/status",
                "/api/v1/workflows/wf-x/metrics");
    }

    @Provide
    Arbitrary<String> queryValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("", "-1", "running", "running,failed", "team=a", "=", "99999999999999999999", "1.5"));
    }

    private static String object(java.util.Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
    }
}
