package io.voltworkflow.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.server.testing.ServerFixture;
import io.voltworkflow.server.testing.ServerFixture.Reply;
import java.util.Set;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AccessControlTest {
    private ServerFixture fixture;

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void refusesRequestsWithoutOrWithAWrongToken() {
        fixture = new ServerFixture();
        Reply anonymous = fixture.call(
                new Request.Builder().url(fixture.url("/api/v1/workflows")).build());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.error().get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");

        Reply wrong = fixture.call(new Request.Builder()
                .url(fixture.url("/api/v1/workflows"))
                .header("Authorization", "Bearer " + ServerFixture.FULL_TOKEN + "x")
                .build());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(ServerFixture.FULL_TOKEN);

        Reply basic = fixture.call(new Request.Builder()
                .url(fixture.url("/api/v1/workflows"))
                .header("Authorization", "Basic dXNlcjpwYXNz")
                .build());
        assertThat(basic.status()).isEqualTo(401);

        Reply anonymousCreate = fixture.call(new Request.Builder()
                .url(fixture.url("/api/v1/workflows"))
                .post(RequestBody.create("{\"requirement\":\"x\"}", ServerFixture.JSON))
                .build());
        assertThat(anonymousCreate.status()).isEqualTo(401);
        assertThat(fixture.orchestrator.listWorkflows(io.voltworkflow.core.status.WorkflowQuery.ALL))
                .isEmpty();

        Reply metrics =
                fixture.call(new Request.Builder().url(fixture.url("/metrics")).build());
        assertThat(metrics.status()).isEqualTo(401);
    }

    @Test
    void letsAReadOnlyTokenReadButNotChangeAnything() {
        fixture = new ServerFixture();
        var id = fixture.createStarted("read me");
        fixture.awaitTermination(id);

        Reply read = fixture.call(
                readOnly("/api/v1/workflows/" + id + "/status").get().build());
        assertThat(read.status()).isEqualTo(200);

        Reply create = fixture.call(readOnly("/api/v1/workflows")
                .post(RequestBody.create("{\"requirement\":\"x\"}", ServerFixture.JSON))
                .build());
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.error().get("code").asText()).isEqualTo("FORBIDDEN");

        Reply cancel = fixture.call(readOnly("/api/v1/workflows/" + id + "/cancel")
                .post(RequestBody.create("", null))
                .build());
        assertThat(cancel.status()).isEqualTo(403);
        assertThat(fixture.orchestrator.listWorkflows(io.voltworkflow.core.status.WorkflowQuery.ALL))
                .hasSize(1);
    }

    @Test
    void keepsHealthChecksAndTheOpenApiDocumentPublic() {
        fixture = new ServerFixture();
        for (String path : new String[] {"/healthz", "/readyz", "/api/v1/openapi.yaml"}) {
            assertThat(fixture.call(new Request.Builder().url(fixture.url(path)).build())
                            .status())
                    .as(path)
                    .isEqualTo(200);
        }
    }

    @Test
    void sendsNoCorsHeadersByDefault() {
        fixture = new ServerFixture();
        Reply reply = fixture.call(fixture.request("/api/v1/workflows")
                .header("Origin", "https://evil.example")
                .get()
                .build());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void answersPreflightsOnlyForAllowedOrigins() {
        fixture = new ServerFixture(1, b -> b.corsAllowedOrigins(Set.of("https://ci.example.com")));
        Reply allowed = fixture.call(new Request.Builder()
                .url(fixture.url("/api/v1/workflows"))
                .method("OPTIONS", null)
                .header("Origin", "https://ci.example.com")
                .header("Access-Control-Request-Method", "POST")
                .build());
        assertThat(allowed.status()).isEqualTo(204);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://ci.example.com");
        assertThat(allowed.header("Access-Control-Allow-Headers")).contains("Authorization");

        Reply other = fixture.call(new Request.Builder()
                .url(fixture.url("/api/v1/workflows"))
                .method("OPTIONS", null)
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .build());
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();

        Reply simple = fixture.call(fixture.request("/api/v1/workflows")
                .header("Origin", "https://ci.example.com")
                .get()
                .build());
        assertThat(simple.header("Access-Control-Allow-Origin")).isEqualTo("https://ci.example.com");
    }

    @Test
    void isOpenWithoutConfiguredTokens() {
        fixture = new ServerFixture(1, b -> b.tokens(java.util.List.of()));
        Reply reply = fixture.call(
                new Request.Builder().url(fixture.url("/api/v1/workflows")).build());
        assertThat(reply.status()).isEqualTo(200);
    }

    private Request.Builder readOnly(String path) {
        return new Request.Builder()
                .url(fixture.url(path))
                .header("Authorization", "Bearer " + ServerFixture.READ_TOKEN);
    }
}
