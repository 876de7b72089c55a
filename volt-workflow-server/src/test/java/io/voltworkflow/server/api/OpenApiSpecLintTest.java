package io.voltworkflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.voltworkflow.server.testing.OpenApiContract;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml parses without a single complaint; the build fails otherwise. */
class OpenApiSpecLintTest {
    @Test
    void theSpecIsClean() {
        assertThat(OpenApiContract.get().lintMessages()).isEmpty();
    }

    @Test
    void theLintCatchesAStrayKeyAndNullableWithoutType() {
        String yaml = """
        openapi: 3.0.3
        info: { title: t, version: '1' }
        paths:
          /a:
            get:
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          next: { type: integer, description: Offset of the next page, null on the last. }
                          output: { nullable: true }
        """;
        assertThat(OpenApiContract.parse(yaml).messages())
                .anySatisfy(m -> assertThat(m).contains("null on the last"))
                .anySatisfy(m -> assertThat(m).contains("output").contains("nullable without type"));
    }
}
