package io.voltworkflow.engines.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.voltworkflow.core.engine.CancellationToken;
import io.voltworkflow.core.engine.EngineContext;
import io.voltworkflow.core.engine.EngineException;
import io.voltworkflow.core.model.StepError;
import io.voltworkflow.engines.credentials.Credential;
import io.voltworkflow.engines.credentials.CredentialSource;
import io.voltworkflow.engines.internal.Json;
import io.voltworkflow.engines.internal.Redactor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Sends JSON requests for one engine: authenticates from the credential source, carries the step's idempotency key,
 * aborts the call when the step is cancelled, bounds the response body, records the provider's request id as
 * provenance, and turns every failure into a classified {@link EngineException}.
 */
public final class HttpEndpoint {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final System.Logger LOG = System.getLogger(HttpEndpoint.class.getName());
    /** The charset spelled out: what OkHttp sent when bodies were strings, so engines see the same header. */
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private static final String[] REQUEST_ID_HEADERS = {"x-request-id", "request-id", "apim-request-id"};
    private static final long MAX_ERROR_BODY = 64 * 1024;

    private final okhttp3.OkHttpClient client;
    private final String engine;
    private final HttpOptions options;
    private final CredentialSource credentials;
    private final Map<String, String> headers;

    HttpEndpoint(
            okhttp3.OkHttpClient client,
            String engine,
            HttpOptions options,
            CredentialSource credentials,
            Map<String, String> headers) {
        this.client = client;
        this.engine = Objects.requireNonNull(engine, "engine");
        this.options = options;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.headers = Map.copyOf(headers);
    }

    public String engine() {
        return engine;
    }

    /**
     * Sends {@code body} (or nothing, for {@code null}) and completes with the parsed 2xx reply. {@code operation}
     * names the call in provenance ({@code <operation>.request_id}) and logs.
     */
    public CompletionStage<HttpReply> send(
            String operation, String method, HttpUrl url, @Nullable JsonNode body, EngineContext context) {
        return send(operation, method, url, body, context, Map.of());
    }

    /** As {@link #send(String, String, HttpUrl, JsonNode, EngineContext)}, with headers for this call only. */
    public CompletionStage<HttpReply> send(
            String operation,
            String method,
            HttpUrl url,
            @Nullable JsonNode body,
            EngineContext context,
            Map<String, String> callHeaders) {
        return exchange(operation, method, url, body, context, callHeaders, "application/json", this::readJson);
    }

    /**
     * POSTs {@code body} asking for server-sent events and hands each event, in order and scrubbed of credentials, to
     * {@code events} while the body arrives; an {@link EngineException} thrown there fails the call. The whole stream
     * is held to the same limits as a JSON reply: {@code maxResponseBytes}, the read timeout between bytes and the call
     * timeout. A server that answers with JSON instead is read as {@link #send} would.
     */
    public CompletionStage<HttpStream> stream(
            String operation, HttpUrl url, JsonNode body, EngineContext context, Consumer<ServerSentEvent> events) {
        return exchange(
                operation,
                "POST",
                url,
                body,
                context,
                Map.of(),
                "text/event-stream",
                (response, requestId, redactor) -> readEvents(response, requestId, redactor, events));
    }

    private <T> CompletionStage<T> exchange(
            String operation,
            String method,
            HttpUrl url,
            @Nullable JsonNode body,
            EngineContext context,
            Map<String, String> callHeaders,
            String accept,
            SuccessReader<T> reader) {
        CancellationToken cancellation = context.cancellation();
        if (cancellation.isCancelled()) {
            return failed(
                    HttpFailures.forIoFailure(engine, new IOException("cancelled"), true, cancellation.reason()), null);
        }
        Credential credential;
        try {
            credential = CredentialSource.resolve(credentials, engine);
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
        Redactor redactor = Redactor.of(credential.secrets());
        Request request;
        try {
            request = request(method, url, body, credential, context.idempotencyKey(), callHeaders, accept);
        } catch (IllegalArgumentException badHeader) {
            // OkHttp's message may quote the offending value, which can be the credential: it is not passed on.
            return failed(
                    StepError.recoverable(
                            StepError.ENGINE_ERROR,
                            "the request to " + engine
                                    + " cannot be sent: a credential or header value has characters HTTP headers cannot carry"),
                    null);
        }
        Call call = client.newCall(request);
        CompletableFuture<T> reply = new CompletableFuture<>();
        CancellationToken.Registration registration = cancellation.onCancel(call::cancel);
        reply.whenComplete((ignored, failure) -> registration.close());
        long started = System.nanoTime();
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    if (response.code() == 401) {
                        credentials.rejected(credential);
                    }
                    String requestId = checkStatus(operation, response, context, redactor);
                    T ok = reader.read(response, requestId, redactor);
                    LOG.log(
                            Level.DEBUG,
                            () -> describe(operation, request, started) + " -> " + response.code()
                                    + idSuffix(requestId));
                    reply.complete(ok);
                } catch (IOException e) {
                    completeWithIoFailure(reply, e, call, cancellation, operation, request, started);
                } catch (EngineException e) {
                    fail(reply, e, operation, request, started);
                } catch (RuntimeException e) {
                    // A reader's bug must still complete the step, never leave it waiting for a reply that was dropped.
                    fail(
                            reply,
                            new EngineException(
                                    StepError.recoverable(
                                            StepError.ENGINE_ERROR,
                                            "the reply of " + engine + " could not be read: " + e),
                                    e),
                            operation,
                            request,
                            started);
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                completeWithIoFailure(reply, e, call, cancellation, operation, request, started);
            }
        });
        return reply;
    }

    private Request request(
            String method,
            HttpUrl url,
            @Nullable JsonNode body,
            Credential credential,
            String idempotencyKey,
            Map<String, String> callHeaders,
            String accept) {
        Request.Builder builder = new Request.Builder()
                .url(url)
                .method(method, body == null ? null : RequestBody.create(Json.writeBytes(body), JSON))
                .header("Accept", accept)
                .header(IDEMPOTENCY_KEY, asciiHeaderValue(idempotencyKey));
        headers.forEach(builder::header);
        callHeaders.forEach((name, value) -> builder.header(name, asciiHeaderValue(value)));
        authenticate(builder, credential);
        return builder.build();
    }

    static void authenticate(Request.Builder builder, Credential credential) {
        if (credential instanceof Credential.BearerToken bearer) {
            builder.header("Authorization", "Bearer " + bearer.token().reveal());
        } else if (credential instanceof Credential.ApiKeyHeader apiKey) {
            builder.header(apiKey.header(), apiKey.key().reveal());
        } else if (credential instanceof Credential.BasicAuth basic) {
            builder.header("Authorization", "Basic " + basic.encoded().reveal());
        }
    }

    /** Records the provider's request id and fails a non-2xx reply; returns the request id. */
    private @Nullable String checkStatus(String operation, Response response, EngineContext context, Redactor redactor)
            throws IOException {
        String requestId = requestId(response).orElse(null);
        if (requestId != null) {
            context.recordProvenance(operation + ".request_id", requestId);
        }
        if (!response.isSuccessful()) {
            String text =
                    redactor.scrub(readAtMost(response.body(), Math.min(MAX_ERROR_BODY, options.maxResponseBytes()))
                            .text());
            throw new HttpStatusException(
                    response.code(),
                    HttpFailures.forStatus(
                            engine,
                            response.code(),
                            response.headers(),
                            text,
                            requestId,
                            context.time().now(),
                            redactor));
        }
        return requestId;
    }

    private HttpReply readJson(Response response, @Nullable String requestId, Redactor redactor) throws IOException {
        ResponseBody body = response.body();
        if (body.contentLength() > options.maxResponseBytes()) {
            throw tooLarge(body.contentLength());
        }
        BufferedSource source = body.source();
        if (source.request(options.maxResponseBytes() + 1)) {
            throw tooLarge(-1);
        }
        byte[] bytes = source.getBuffer().readByteArray();
        // Nothing to scrub: parsed once, straight from the bytes. Whatever that cannot read (an empty or blank body,
        // malformed UTF-8 inside a string) goes through the text path below, which decides as it always did.
        JsonNode json = redactor.isEmpty() ? Json.tryParse(bytes).orElse(null) : null;
        if (json == null) {
            // An engine that echoes the credential back (in a message, a summary) must not carry it into results or
            // events: the text is scrubbed before it is parsed.
            String text = redactor.scrub(new String(bytes, StandardCharsets.UTF_8));
            // An empty body (204, or a DELETE answered with nothing) is JSON null: callers that need an object say so.
            json = text.isBlank()
                    ? NullNode.getInstance()
                    : Json.tryParse(text)
                            .orElseThrow(() -> new EngineException(StepError.recoverable(
                                    StepError.INVALID_RESPONSE,
                                    engine + " answered HTTP " + response.code() + " with a body that is not JSON: '"
                                            + redactor.excerpt(text, 120) + "'"
                                            + (requestId == null ? "" : " (request id " + requestId + ")"))));
        }
        return new HttpReply(response.code(), response.headers(), json, requestId);
    }

    private HttpStream readEvents(
            Response response, @Nullable String requestId, Redactor redactor, Consumer<ServerSentEvent> events)
            throws IOException {
        MediaType type = response.body().contentType();
        if (type == null || !"text".equals(type.type()) || !"event-stream".equals(type.subtype())) {
            return new HttpStream(
                    response.code(),
                    response.headers(),
                    requestId,
                    readJson(response, requestId, redactor).body());
        }
        BufferedSource source = response.body().source();
        long remaining = options.maxResponseBytes();
        String event = null;
        StringBuilder data = null;
        while (true) {
            long newline = source.indexOf((byte) '\n', 0, remaining);
            String line;
            if (newline >= 0) {
                line = source.readUtf8(newline);
                source.skip(1);
                remaining -= newline + 1;
            } else if (source.request(remaining + 1)) {
                throw tooLarge(-1);
            } else if (source.exhausted()) {
                line = "";
            } else {
                line = source.readUtf8();
                remaining = 0;
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                if (data != null) {
                    events.accept(
                            new ServerSentEvent(event == null ? "message" : event, redactor.scrub(data.toString())));
                }
                event = null;
                data = null;
                if (newline < 0 && source.exhausted()) {
                    return new HttpStream(response.code(), response.headers(), requestId, null);
                }
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
            if ("event".equals(field)) {
                event = value;
            } else if ("data".equals(field)) {
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
            // Comments (":" lines, keep-alives), "id" and "retry" carry nothing a single generation needs.
        }
    }

    @FunctionalInterface
    private interface SuccessReader<T> {
        T read(Response response, @Nullable String requestId, Redactor redactor) throws IOException;
    }

    private EngineException tooLarge(long length) {
        return new EngineException(StepError.recoverable(
                StepError.INVALID_RESPONSE,
                engine + " sent a response body "
                        + (length > 0 ? "of " + length + " bytes" : "larger than the limit") + "; the limit is "
                        + options.maxResponseBytes() + " bytes (maxResponseBytes)"));
    }

    private static Limited readAtMost(ResponseBody body, long max) throws IOException {
        BufferedSource source = body.source();
        boolean truncated = source.request(max + 1);
        long available = Math.min(source.getBuffer().size(), max);
        return new Limited(source.getBuffer().readString(available, StandardCharsets.UTF_8), truncated);
    }

    /** Step names may be any printable text; HTTP header values are ASCII, so others are percent-encoded (UTF-8). */
    static String asciiHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return URLEncoder.encode(value, StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    private static Optional<String> requestId(Response response) {
        for (String header : REQUEST_ID_HEADERS) {
            String value = response.header(header);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    private <T> void completeWithIoFailure(
            CompletableFuture<T> reply,
            IOException failure,
            Call call,
            CancellationToken cancellation,
            String operation,
            Request request,
            long started) {
        // OkHttp enforces callTimeout by cancelling the call, so call.isCanceled() cannot tell a timeout from a step's
        // cancellation: only the step's token says the step was cancelled; a call cancelled otherwise timed out.
        boolean stepCancelled = cancellation.isCancelled();
        IOException cause = !stepCancelled && call.isCanceled() && !(failure instanceof InterruptedIOException)
                ? timedOut(failure)
                : failure;
        StepError error = HttpFailures.forIoFailure(engine, cause, stepCancelled, cancellation.reason());
        fail(reply, new EngineException(error, failure), operation, request, started);
    }

    private IOException timedOut(IOException failure) {
        InterruptedIOException timeout = new InterruptedIOException(
                "callTimeout " + options.callTimeout().toMillis() + " ms");
        timeout.initCause(failure);
        return timeout;
    }

    private <T> void fail(
            CompletableFuture<T> reply, EngineException failure, String operation, Request request, long started) {
        LOG.log(Level.INFO, () -> describe(operation, request, started) + " failed: " + failure.error());
        reply.completeExceptionally(failure);
    }

    /** The call as logs show it: never the query string or headers, where gateways may carry keys. */
    private String describe(String operation, Request request, long started) {
        return engine + " " + operation + " " + request.method() + " "
                + request.url().host() + request.url().encodedPath() + " (" + (System.nanoTime() - started) / 1_000_000
                + " ms)";
    }

    private static String idSuffix(@Nullable String requestId) {
        return requestId == null ? "" : " (request id " + requestId + ")";
    }

    private static <T> CompletionStage<T> failed(StepError error, @Nullable Throwable cause) {
        return CompletableFuture.failedFuture(new EngineException(error, cause));
    }

    private record Limited(String text, boolean truncated) {}
}
