package io.voltworkflow.server.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request.Method;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * docs/openapi.yaml as a test oracle: {@link #check} judges one exchange with the API by the spec, using the
 * swagger-request-validator library. The rules, beyond "the response matches its schema and its status is
 * documented":
 * <ul>
 *   <li>a request the spec does not allow must be refused (4xx);</li>
 *   <li>a request the spec allows must not be refused as malformed (400 or 415), or the spec hides a rule;</li>
 *   <li>a path the spec does not list answers 404; a method a listed path does not have answers 405 with an
 *       {@code Allow} header naming exactly the spec's methods.</li>
 * </ul>
 * Tests do not call this directly: {@link ServerFixture}'s HTTP client checks every exchange it makes
 * ({@link OpenApiContractInterceptor}).
 */
public final class OpenApiContract {
    public static final String BASE_PATH = "/api/v1";
    private static final String RESOURCE = "io/voltworkflow/server/openapi.yaml";
    private static final OpenApiContract INSTANCE = load();
    private static final Pattern CONTROL_CHARACTER = Pattern.compile("%([01][0-9A-Fa-f]|7[Ff])");

    private final OpenAPI api;
    private final List<String> lintMessages;
    private final OpenApiInteractionValidator validator;
    private final Map<Pattern, PathItem> pathItems;

    private OpenApiContract(OpenAPI api, List<String> lintMessages) {
        this.api = api;
        this.lintMessages = lintMessages;
        this.validator = OpenApiInteractionValidator.createFor(api)
                .withBasePathOverride(BASE_PATH)
                // Everything the library can report counts, unknown query parameters included.
                .withLevelResolver(LevelResolver.create()
                        .withDefaultLevel(ValidationReport.Level.ERROR)
                        .build())
                .build();
        this.pathItems = api.getPaths().entrySet().stream()
                .collect(Collectors.toMap(
                        e -> Pattern.compile(Pattern.quote(e.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q")),
                        Map.Entry::getValue));
    }

    /** The one parsed copy of docs/openapi.yaml (as packaged in the server jar). */
    public static OpenApiContract get() {
        return INSTANCE;
    }

    public OpenAPI api() {
        return api;
    }

    /** What the parser found wrong with the document itself; empty for a well-formed spec. */
    public List<String> lintMessages() {
        return lintMessages;
    }

    /** One request as sent. {@code body} is null when there is none. */
    public record Exchange(
            String method,
            String path,
            Map<String, List<String>> query,
            Map<String, List<String>> requestHeaders,
            String body,
            int status,
            Map<String, List<String>> responseHeaders,
            String responseBody) {}

    /** Every way the exchange breaks the spec; empty when it keeps it (or is not an API call). */
    public List<String> check(Exchange exchange) {
        if (!exchange.path().startsWith(BASE_PATH + "/") || isCorsPreflight(exchange)) {
            return List.of();
        }
        String apiPath = exchange.path().substring(BASE_PATH.length());
        List<String> violations = new ArrayList<>();
        PathItem item = pathItem(apiPath);
        String method = exchange.method().toUpperCase(Locale.ROOT);
        // Authentication comes first: a caller without a valid token learns nothing about paths or methods. A URI with
        // control characters is malformed and refused (400) before any routing.
        boolean refusedFirst = exchange.status() == 401
                || exchange.status() == 403
                || (exchange.status() == 400
                        && CONTROL_CHARACTER.matcher(exchange.path()).find());
        if (item == null) {
            if (exchange.status() != 404 && !refusedFirst) {
                violations.add("a path the spec does not list answered " + exchange.status() + " instead of 404");
            }
            return violations;
        }
        Set<String> methods = item.readOperationsMap().keySet().stream()
                .map(PathItem.HttpMethod::name)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!methods.contains(method)) {
            if (refusedFirst) {
                return violations;
            }
            if (exchange.status() != 405) {
                violations.add("a method the spec does not list answered " + exchange.status() + " instead of 405");
            } else {
                Set<String> allow = allowHeader(exchange.responseHeaders());
                if (!allow.equals(methods)) {
                    violations.add("405 with Allow " + allow + ", the spec lists " + methods);
                }
            }
            return violations;
        }
        SimpleRequest request = toRequest(exchange);
        ValidationReport requestReport = validator.validateRequest(request);
        ValidationReport responseReport =
                validator.validateResponse(exchange.path(), Method.valueOf(method), toResponse(exchange));
        responseReport.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .forEach(m -> violations.add("response " + exchange.status() + ": " + describe(m)));
        boolean refused = exchange.status() >= 400 && exchange.status() < 500;
        List<String> requestErrors = new ArrayList<>(requestReport.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(OpenApiContract::describe)
                .toList());
        requestErrors.addAll(
                unreportedRequestErrors(exchange, item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method))));
        if (!requestErrors.isEmpty() && !refused) {
            violations.add(
                    "a request the spec does not allow was answered " + exchange.status() + ": " + requestErrors);
        }
        if (requestErrors.isEmpty() && (exchange.status() == 400 || exchange.status() == 415)) {
            violations.add("a request the spec allows was refused with " + exchange.status()
                    + " (a rule the spec does not state?): " + exchange.responseBody());
        }
        return violations;
    }

    private PathItem pathItem(String apiPath) {
        for (Map.Entry<Pattern, PathItem> entry : pathItems.entrySet()) {
            if (entry.getKey().matcher(apiPath).matches()) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * Breaches of the spec the library lets pass: an empty query value (OpenAPI's {@code allowEmptyValue} is false
     * unless stated), a query value outside its enum, a body without a media type the operation lists.
     */
    private static List<String> unreportedRequestErrors(Exchange exchange, Operation operation) {
        List<String> errors = new ArrayList<>();
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                List<String> values =
                        "query".equals(parameter.getIn()) ? exchange.query().get(parameter.getName()) : null;
                if (values == null) {
                    continue;
                }
                Schema<?> schema = "array".equals(parameter.getSchema().getType())
                        ? parameter.getSchema().getItems()
                        : parameter.getSchema();
                for (String value : values) {
                    if (value.isEmpty() && !Boolean.TRUE.equals(parameter.getAllowEmptyValue())) {
                        errors.add("query parameter '" + parameter.getName() + "' is empty");
                    } else if (schema.getEnum() != null && !schema.getEnum().contains(value)) {
                        errors.add("query parameter '" + parameter.getName() + "' is not one of " + schema.getEnum());
                    }
                }
            }
        }
        if (exchange.body() != null && operation.getRequestBody() != null) {
            String contentType = header(exchange.requestHeaders(), "Content-Type");
            String mediaType = contentType == null
                    ? null
                    : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (mediaType == null || !operation.getRequestBody().getContent().containsKey(mediaType)) {
                errors.add("the body's media type " + mediaType + " is not one the operation lists");
            }
        }
        return errors;
    }

    private static boolean isCorsPreflight(Exchange exchange) {
        // Answered by the CORS layer before the API, as the Fetch standard describes; not an API operation.
        return exchange.method().equalsIgnoreCase("OPTIONS")
                && header(exchange.requestHeaders(), "Access-Control-Request-Method") != null;
    }

    private static Set<String> allowHeader(Map<String, List<String>> headers) {
        Set<String> allow = new TreeSet<>();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("Allow")) {
                header.getValue().forEach(v -> {
                    for (String m : v.split(",", -1)) {
                        if (!m.isBlank()) {
                            allow.add(m.strip().toUpperCase(Locale.ROOT));
                        }
                    }
                });
            }
        }
        return allow;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst()
                .orElse(null);
    }

    private static SimpleRequest toRequest(Exchange exchange) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), exchange.path());
        exchange.query().forEach(request::withQueryParam);
        exchange.requestHeaders().forEach(request::withHeader);
        if (exchange.body() != null) {
            request.withBody(exchange.body(), StandardCharsets.UTF_8);
        }
        return request.build();
    }

    private static SimpleResponse toResponse(Exchange exchange) {
        SimpleResponse.Builder response = new SimpleResponse.Builder(exchange.status());
        exchange.responseHeaders().forEach(response::withHeader);
        if (exchange.responseBody() != null && !exchange.responseBody().isEmpty()) {
            response.withBody(exchange.responseBody(), StandardCharsets.UTF_8);
        }
        return response.build();
    }

    private static String describe(ValidationReport.Message message) {
        return message.getKey() + ": " + message.getMessage()
                + (message.getAdditionalInfo().isEmpty() ? "" : " " + message.getAdditionalInfo());
    }

    /**
     * Parses an OpenAPI document and lists what is wrong with it: the parser's messages (YAML errors, unexpected or
     * missing attributes, broken references) and {@code nullable} without {@code type}, which OpenAPI 3.0 ignores.
     */
    public static Parsed parse(String yaml) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);
        List<String> messages = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
        if (result.getOpenAPI() != null) {
            SchemaWalk.each(result.getOpenAPI(), (where, schema) -> {
                if (Boolean.TRUE.equals(schema.getNullable()) && schema.getType() == null && schema.get$ref() == null) {
                    messages.add(where + ": nullable without type (OpenAPI 3.0 ignores it)");
                }
            });
        }
        return new Parsed(result.getOpenAPI(), List.copyOf(messages));
    }

    /** A parsed document ({@code null} when it does not parse at all) and its lint messages. */
    public record Parsed(OpenAPI api, List<String> messages) {}

    private static OpenApiContract load() {
        String yaml;
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Parsed parsed = parse(yaml);
        if (parsed.api() == null) {
            throw new IllegalStateException("docs/openapi.yaml does not parse: " + parsed.messages());
        }
        return new OpenApiContract(parsed.api(), parsed.messages());
    }
}
