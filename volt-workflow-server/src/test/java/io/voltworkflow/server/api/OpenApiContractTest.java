package io.voltworkflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.voltworkflow.engines.credentials.Secret;
import io.voltworkflow.server.testing.OpenApiContract;
import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.testing.ServerFixture.Reply;
import io.voltworkflow.server.webhooks.PayloadFormat;
import io.voltworkflow.server.webhooks.WebhookOptions;
import io.voltworkflow.server.webhooks.WebhookSubscription;
import io.voltworkflow.server.webhooks.WebhookTargets;
import io.voltworkflow.server.webhooks.WebhookTrigger;
import io.voltworkflow.server.webhooks.Webhooks;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Requests generated from docs/openapi.yaml itself, for every operation and for methods the paths do not have:
 * mostly valid by the spec, some broken on purpose (a value outside its schema, an unknown query parameter or body
 * field, a bad id, a non-JSON body). {@link ServerFixture}'s client holds each exchange to the spec (status
 * documented, body matches its schema, invalid requests refused and valid ones not, 405 with {@code Allow}); this
 * test adds that nothing is a 5xx and that every operation was exercised.
 */
class OpenApiContractTest {
    private static final int TRIES = 400;
    private static final List<String> OTHER_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String WEBHOOK = "from-file";

    private static ServerFixture fixture;
    private static Webhooks webhooks;
    private static List<String> knownIds;
    private static final AtomicInteger sent = new AtomicInteger();
    private static final Set<String> operationsSeen = new ConcurrentSkipListSet<>();

    @BeforeContainer
    static void start() {
        // Webhooks on, with one subscription of the configuration file's kind, so their operations answer for real.
        fixture = new ServerFixture(2, (server, options) -> {
            webhooks = Webhooks.start(
                    server.orchestrator,
                    server.store.outbox().orElseThrow(),
                    WebhookOptions.builder()
                            .targets(new WebhookTargets(List.of("loopback")))
                            .subscriptions(List.of(new WebhookSubscription(
                                    WEBHOOK,
                                    URI.create("http://127.0.0.1:9/hook"),
                                    Set.of(WebhookTrigger.WORKFLOW_COMPLETED),
                                    Map.of(),
                                    PayloadFormat.VOLT,
                                    80,
                                    Secret.of("contract-secret-0123456789"),
                                    WebhookSubscription.Origin.CONFIGURATION)))
                            .build());
            return options.webhooks(webhooks);
        });
        String finished = fixture.createStarted("Build a REST API for users").value();
        fixture.awaitTermination(io.voltworkflow.core.model.WorkflowId.of(finished));
        String waiting = fixture.post("/api/v1/workflows", "{\"requirement\":\"Add a login page\"}")
                .json()
                .get("workflowId")
                .asText();
        knownIds = List.of(finished, waiting);
    }

    @AfterContainer
    static void stop() {
        try {
            Set<String> all = new TreeSet<>();
            OpenApiContract.get()
                    .api()
                    .getPaths()
                    .forEach((path, item) ->
                            item.readOperationsMap().keySet().forEach(method -> all.add(method + " " + path)));
            System.out.printf(
                    "OpenApiContractTest: %d generated requests, %d of %d operations: %s%n",
                    sent.get(), operationsSeen.stream().filter(all::contains).count(), all.size(), operationsSeen);
            assertThat(operationsSeen).containsAll(all);
        } finally {
            webhooks.close();
            fixture.close();
        }
    }

    @Property(tries = TRIES, seed = "20261207", shrinking = ShrinkingMode.OFF)
    void everyAnswerKeepsTheSpec(@ForAll("requests") Generated generated) {
        Reply reply = fixture.call(generated.request());
        sent.incrementAndGet();
        operationsSeen.add(generated.operation());
        assertThat(reply.status()).as(generated.toString()).isLessThan(500);
    }

    /** A request and what it exercises, e.g. {@code POST /workflows/{id}/cancel}. */
    record Generated(String operation, Request request, String body) {
        @Override
        public String toString() {
            return request.method() + " " + request.url() + (body == null ? "" : " " + body);
        }
    }

    @Provide
    Arbitrary<Generated> requests() {
        List<Arbitrary<Generated>> choices = new ArrayList<>();
        OpenApiContract.get().api().getPaths().forEach((path, item) -> {
            Map<PathItem.HttpMethod, Operation> operations = item.readOperationsMap();
            operations.forEach((method, operation) -> choices.add(operation(path, method.name(), operation)));
            Set<String> others = new TreeSet<>(OTHER_METHODS);
            operations.keySet().forEach(m -> others.remove(m.name()));
            choices.add(Combinators.combine(Arbitraries.of(List.copyOf(others)), pathFor(path))
                    .as((method, url) -> build("other " + path, method, url, null, null)));
        });
        return Arbitraries.oneOf(choices);
    }

    private Arbitrary<Generated> operation(String path, String method, Operation operation) {
        List<Parameter> query = operation.getParameters() == null
                ? List.of()
                : operation.getParameters().stream()
                        .filter(p -> "query".equals(p.getIn()))
                        .toList();
        Arbitrary<HttpUrl> url = pathFor(path).flatMap(base -> queryFor(base, query));
        Arbitrary<String> body = operation.getRequestBody() == null
                ? Arbitraries.just(null)
                : bodyFor(
                        operation
                                .getRequestBody()
                                .getContent()
                                .get("application/json")
                                .getSchema(),
                        Boolean.TRUE.equals(operation.getRequestBody().getRequired()));
        Arbitrary<String> contentType =
                Arbitraries.frequency(Tuple.of(9, "application/json"), Tuple.of(1, "text/plain"));
        return Combinators.combine(url, body, contentType)
                .as((u, b, type) -> build(method + " " + path, method, u, b, type));
    }

    private Generated build(String operation, String method, HttpUrl url, String body, String contentType) {
        Request.Builder request = fixture.request("/").url(url);
        boolean needsBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        RequestBody requestBody = body == null
                ? (needsBody ? RequestBody.create(new byte[0]) : null)
                : RequestBody.create(body, MediaType.get(contentType == null ? "application/json" : contentType));
        request.method(method, requestBody);
        return new Generated(operation, request.build(), body);
    }

    private Arbitrary<HttpUrl> pathFor(String template) {
        Arbitrary<String> id = Arbitraries.frequency(
                Tuple.of(6, knownIds.get(0)),
                Tuple.of(6, knownIds.get(1)),
                Tuple.of(2, "wf-unknown-1"),
                Tuple.of(1, "-bad"),
                Tuple.of(1, "a%20b"),
                Tuple.of(1, "%01"),
                Tuple.of(1, "x".repeat(129)));
        Arbitrary<String> webhookId =
                Arbitraries.frequency(Tuple.of(6, WEBHOOK), Tuple.of(2, "hook-unknown"), Tuple.of(1, "-bad"));
        Arbitrary<String> deliveryId =
                Arbitraries.frequency(Tuple.of(3, "dlv_" + "0".repeat(32)), Tuple.of(1, "dlv_x"));
        return Combinators.combine(id, webhookId, deliveryId)
                .as((value, hook, delivery) -> HttpUrl.get(fixture.url(OpenApiContract.BASE_PATH
                        + template.replace("{id}", value)
                                .replace("{webhookId}", hook)
                                .replace("{deliveryId}", delivery))));
    }

    private Arbitrary<HttpUrl> queryFor(HttpUrl base, List<Parameter> parameters) {
        Arbitrary<HttpUrl> url = Arbitraries.just(base);
        for (Parameter parameter : parameters) {
            Arbitrary<List<String>> values = queryValues(parameter.getSchema());
            url = url.flatMap(u -> values.map(vs -> {
                HttpUrl.Builder b = u.newBuilder();
                vs.forEach(v -> b.addQueryParameter(parameter.getName(), v));
                return b.build();
            }));
        }
        Arbitrary<Boolean> unknown = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(15, false));
        return Combinators.combine(url, unknown)
                .as((u, add) -> add
                        ? u.newBuilder().addQueryParameter("stat", "running").build()
                        : u);
    }

    /** Absent, one valid value, several for arrays, or one that breaks the schema. */
    private Arbitrary<List<String>> queryValues(Schema<?> schema) {
        Arbitrary<List<String>> valid = "array".equals(schema.getType())
                ? value(schema.getItems(), 0)
                        .map(JsonNode::asText)
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(3)
                : value(schema, 0).filter(v -> !v.isNull()).map(v -> List.of(v.asText()));
        Arbitrary<List<String>> invalid = Arbitraries.of("", "abc", "-1", "1.5", "99999999999999999999", "0")
                .map(List::of);
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(List.<String>of())), Tuple.of(5, valid), Tuple.of(1, invalid));
    }

    private Arbitrary<String> bodyFor(Schema<?> schema, boolean required) {
        Arbitrary<String> valid = value(schema, 0).map(JsonNode::toString);
        Arbitrary<String> brokenField = value(schema, 0).map(v -> {
            if (v instanceof ObjectNode object) {
                object.put("unexpectedField", 1);
            }
            return v.toString();
        });
        Arbitrary<String> garbage = Arbitraries.of(
                "{",
                "[]",
                "null",
                "\"text\"",
                "{\"requirement\":5}",
                "{\"options\":{\"workflowId\":\"-\"}}",
                "{\"reason\":" + "\"x\"".repeat(2) + "}");
        List<Tuple2<Integer, Arbitrary<String>>> choices =
                new ArrayList<>(List.of(Tuple.of(12, valid), Tuple.of(2, brokenField), Tuple.of(2, garbage)));
        if (!required) {
            choices.add(Tuple.of(4, Arbitraries.just(null)));
        }
        return Arbitraries.frequencyOf(choices);
    }

    /** A JSON value valid by {@code schema} (depth-bounded). */
    private Arbitrary<JsonNode> value(Schema<?> schema, int depth) {
        Arbitrary<JsonNode> value = nonNull(schema, depth);
        if (Boolean.TRUE.equals(schema.getNullable())) {
            return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(JSON.nullNode())), Tuple.of(6, value));
        }
        return value;
    }

    private Arbitrary<JsonNode> nonNull(Schema<?> schema, int depth) {
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return Arbitraries.of(schema.getEnum().stream()
                            .filter(e -> e != null)
                            .map(Object::toString)
                            .toList())
                    .map(JSON::textNode);
        }
        String type = schema.getType() == null ? "string" : schema.getType();
        return switch (type) {
            case "integer" -> integer(schema).map(JSON::numberNode);
            case "number" ->
                Arbitraries.doubles()
                        .between(min(schema, 0).doubleValue(), 1000.0)
                        .ofScale(2)
                        .map(JSON::numberNode);
            case "boolean" -> Arbitraries.of(true, false).map(JSON::booleanNode);
            case "array" ->
                value(schema.getItems(), depth + 1).list().ofMaxSize(2).map(items -> {
                    var array = JSON.arrayNode();
                    items.forEach(array::add);
                    return array;
                });
            case "object" -> object(schema, depth);
            default -> string(schema).map(JSON::textNode);
        };
    }

    private Arbitrary<Long> integer(Schema<?> schema) {
        long min = min(schema, 0).longValue();
        long max = schema.getMaximum() == null
                ? 1_000_000
                : schema.getMaximum().min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(min)),
                Tuple.of(1, Arbitraries.just(max)),
                Tuple.of(6, Arbitraries.longs().between(min, Math.min(max, min + 10_000))));
    }

    private static BigDecimal min(Schema<?> schema, long otherwise) {
        return schema.getMinimum() == null ? BigDecimal.valueOf(otherwise) : schema.getMinimum();
    }

    private Arbitrary<String> string(Schema<?> schema) {
        int maxLength = schema.getMaxLength() == null ? 24 : Math.min(schema.getMaxLength(), 24);
        int minLength = schema.getMinLength() == null ? 0 : schema.getMinLength();
        Arbitrary<String> text = Arbitraries.strings()
                .withChars("abcXYZ019._-= é")
                .ofMinLength(minLength)
                .ofMaxLength(maxLength);
        if (schema.getPattern() == null) {
            return text;
        }
        Pattern pattern = Pattern.compile(schema.getPattern());
        return text.filter(s -> pattern.matcher(s).find());
    }

    private Arbitrary<JsonNode> object(Schema<?> schema, int depth) {
        Arbitrary<ObjectNode> object = Arbitraries.just(0).map(x -> JSON.objectNode());
        Map<String, Schema<?>> properties = new java.util.LinkedHashMap<>();
        if (schema.getProperties() != null && depth <= 3) {
            schema.getProperties().forEach(properties::put);
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema<?>> property : properties.entrySet()) {
            Arbitrary<JsonNode> value = value(property.getValue(), depth + 1);
            boolean mustHave = required.contains(property.getKey());
            object = object.flatMap(o -> Combinators.combine(value, Arbitraries.of(true, false))
                    .as((v, include) -> {
                        ObjectNode copy = o.deepCopy();
                        if (mustHave || include) {
                            copy.set(property.getKey(), v);
                        }
                        return copy;
                    }));
        }
        if (schema.getAdditionalProperties() instanceof Schema<?> values) {
            int max = schema.getMaxProperties() == null ? 3 : Math.min(3, schema.getMaxProperties());
            Arbitrary<Map<String, JsonNode>> extra = Arbitraries.maps(
                            Arbitraries.strings().withChars("abc=:").ofMaxLength(6), value(values, depth + 1))
                    .ofMaxSize(max);
            object = Combinators.combine(object, extra).as((o, more) -> {
                more.forEach(o::set);
                return o;
            });
        } else if (Boolean.TRUE.equals(schema.getAdditionalProperties())) {
            object = object.map(o -> o.put("language", "Java"));
        }
        return object.map(o -> (JsonNode) o);
    }
}
