package io.voltworkflow.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltworkflow.core.OrchestratorOptions;
import io.voltworkflow.core.WorkflowOrchestrator;
import io.voltworkflow.core.json.WorkflowJson;
import io.voltworkflow.core.status.WorkflowQuery;
import io.voltworkflow.core.testing.FakeEngines;
import io.voltworkflow.it.support.ServerUnderTest;
import io.voltworkflow.it.support.ServerUnderTest.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Random and hostile requests to the real server: create bodies with fields of every wrong kind, unknown fields,
 * broken JSON, oversized and deeply nested documents, wrong media types, and random query parameters and ids. Each
 * is answered 2xx or with a 4xx in the documented error shape (a code and a message), never 5xx; a refused create
 * creates nothing.
 */
class ApiRequestFuzzTest {
    private static final String TOKEN = "fuzz-full-token-Lp1Hd5Gs9Fb3Jc6W";
    private static final AtomicInteger ACCEPTED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static WorkflowOrchestrator orchestrator;
    private static ServerUnderTest api;

    @BeforeContainer
    static void startServer() {
        orchestrator = WorkflowOrchestrator.create(OrchestratorOptions.builder()
                .engines(new FakeEngines(1, false).engines())
                .build());
        api = new ServerUnderTest(orchestrator, TOKEN, TOKEN.replace("full", "read"));
    }

    @AfterContainer
    static void stopServer() {
        api.close();
        System.out.printf(
                "bad-input API: %d requests, %d accepted, %d refused in the error shape, 0 server errors, "
                        + "0 workflows created by a refused request%n",
                ACCEPTED.get() + REFUSED.get(), ACCEPTED.get(), REFUSED.get());
    }

    @Property(tries = 300, seed = "20261125")
    void aCreateRequestIsAcceptedOrRefusedInTheErrorShape(
            @ForAll("bodies") byte[] body, @ForAll("mediaTypes") String mediaType) {
        int before = workflowCount();
        Reply reply = api.call(new Request.Builder()
                .url(api.url("/api/v1/workflows"))
                .header("Authorization", "Bearer " + TOKEN)
                .post(RequestBody.create(body, mediaType.isEmpty() ? null : MediaType.get(mediaType)))
                .build());

        check(reply, 200, 201, 400, 409, 413, 415);
        if (reply.status() >= 400) {
            assertThat(workflowCount()).as("a refused create creates nothing").isEqualTo(before);
        }
    }

    @Property(tries = 200, seed = "20261125")
    void randomQueriesAndIdsAreAnsweredInTheErrorShape(@ForAll("paths") String path) {
        check(api.call("GET", path, TOKEN, null), 200, 400, 404, 405);
    }

    /** Every refusal is in the API's JSON error shape, those Jetty makes before the API sees the request too. */
    private static void check(Reply reply, Integer... allowed) {
        assertThat(reply.status()).as(reply.body()).isIn((Object[]) allowed);
        if (reply.status() >= 400) {
            JsonNode error = reply.json().path("error");
            assertThat(error.path("code").asText()).as(reply.body()).isNotBlank();
            assertThat(error.path("message").asText()).as(reply.body()).isNotBlank();
            REFUSED.incrementAndGet();
        } else {
            ACCEPTED.incrementAndGet();
        }
    }

    private static int workflowCount() {
        return orchestrator
                .listWorkflows(new WorkflowQuery(java.util.Set.of(), null, null, 0, WorkflowQuery.MAX_LIMIT))
                .size();
    }

    // ------------------------------------------------------------------------------------------------ generators

    @Provide
    Arbitrary<String> mediaTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just("application/json")),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                "application/json; charset=utf-8",
                                "text/plain",
                                "application/x-www-form-urlencoded",
                                "")));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, createRequests().map(node -> node.toString().getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, createRequests().flatMap(node -> {
                    byte[] json = node.toString().getBytes(StandardCharsets.UTF_8);
                    return Arbitraries.integers()
                            .between(0, json.length)
                            .map(cut -> java.util.Arrays.copyOf(json, cut));
                })),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                        "{\"requirement\":\"" + "r".repeat(100_001) + "\"}",
                                        "{\"requirement\":\"" + "r".repeat(1_100_000) + "\"}",
                                        "{\"requirement\":\"deep\",\"projectContext\":" + "{\"a\":".repeat(2_000) + "1"
                                                + "}".repeat(2_001),
                                        "[".repeat(5_000),
                                        "{\"requirement\":\"dup\",\"requirement\":\"dup\"}",
                                        "{\"requirement\":\"nul\\u0000byte\"}",
                                        "\uFEFF{\"requirement\":\"bom\"}",
                                        "null",
                                        "[]",
                                        "\"requirement\"",
                                        "{}")
                                .map(s -> s.getBytes(StandardCharsets.UTF_8))));
    }

    /** The documented fields, each present or not, each of the right kind or a wrong one, plus unknown fields. */
    private Arbitrary<JsonNode> createRequests() {
        Arbitrary<JsonNode> anyValue = Arbitraries.oneOf(
                FuzzData.jsonObjects(2),
                Arbitraries.strings().all().ofMaxLength(40).map(JsonNodeFactory.instance::textNode),
                Arbitraries.longs().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(-1.5, 0.0, 1e308, Double.MIN_VALUE).map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(true, false).map(JsonNodeFactory.instance::booleanNode),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()),
                Arbitraries.just(JsonNodeFactory.instance.arrayNode().add(1).add("x")));
        Arbitrary<JsonNode> requirement = Arbitraries.frequencyOf(
                Tuple.of(
                        4,
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(80).map(JsonNodeFactory.instance::textNode)),
                Tuple.of(1, anyValue));
        Arbitrary<JsonNode> workflowId = Arbitraries.frequencyOf(
                Tuple.of(
                        2,
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .numeric()
                                .ofMinLength(1)
                                .ofMaxLength(12)
                                .map(s -> JsonNodeFactory.instance.textNode("wf-" + s))),
                Tuple.of(1, anyValue));
        Arbitrary<Map<String, JsonNode>> options = Arbitraries.maps(
                        Arbitraries.of(
                                "workflowId", "maxConcurrentSteps", "deadlineMs", "budget", "labels", "unknownOption"),
                        Arbitraries.oneOf(anyValue, workflowId))
                .ofMaxSize(4);
        return Combinators.combine(
                        requirement.optional(0.9),
                        FuzzData.jsonObjects(2).optional(),
                        anyValue.optional(0.3),
                        options.optional(0.4),
                        Arbitraries.frequencyOf(
                                Tuple.of(6, Arbitraries.just(List.<String>of())),
                                Tuple.of(1, Arbitraries.of(List.of("unknownField"), List.of("start")))))
                .as((req, context, start, opts, extra) -> {
                    ObjectNode node = JsonNodeFactory.instance.objectNode();
                    req.ifPresent(r -> node.set("requirement", r));
                    context.ifPresent(c -> node.set("projectContext", c));
                    start.ifPresent(s -> node.set("start", s));
                    opts.ifPresent(
                            o -> node.set("options", WorkflowJson.mapper().valueToTree(o)));
                    extra.forEach(field -> node.put(field, true));
                    return node;
                });
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12).map(ApiRequestFuzzTest::encode),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("-1", "0", "1", "1000", "1001", "99999999999999999999", "1e3", "", "%00", "%ZZ"));
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20).map(ApiRequestFuzzTest::encode),
                Arbitraries.of("wf-none", "..", "%2e%2e", "a".repeat(200)));
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("state", "label", "offset", "limit", "unknown"), value)
                        .as((name, v) -> "/api/v1/workflows?" + name + "=" + v),
                Combinators.combine(id, Arbitraries.of("", "/status", "/events", "/metrics", "/nothing"), value)
                        .as((workflow, sub, v) ->
                                "/api/v1/workflows/" + workflow + sub + "?after=" + v + "&limit=" + v));
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
