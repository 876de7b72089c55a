package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresStoreOptionsTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/volt";

    @Test
    void defaultsSuitAServer() {
        PostgresStoreOptions options = PostgresStoreOptions.builder(URL).build();

        assertThat(options.schema()).isEqualTo("volt");
        assertThat(options.user()).isEqualTo("volt");
        assertThat(options.maxPoolSize()).isEqualTo(8);
        assertThat(options.maxBatchRecords()).isEqualTo(2000);
        assertThat(options.fetchSize()).isEqualTo(1000);
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void badValuesAreNamed() {
        PostgresStoreOptions.Builder builder = PostgresStoreOptions.builder(URL);

        assertThatThrownBy(() -> PostgresStoreOptions.builder("jdbc:mysql://db/volt?password=x"))
                .hasMessage("jdbcUrl must start with 'jdbc:postgresql:', was 'jdbc:mysql://db/volt'");
        assertThatThrownBy(() -> builder.schema("Volt-Prod"))
                .hasMessage(
                        "schema 'Volt-Prod' must be 1-63 lower-case letters, digits or '_', not starting with a digit");
        assertThatThrownBy(() -> builder.user(" ")).hasMessage("user must not be blank");
        assertThatThrownBy(() -> builder.maxPoolSize(1))
                .hasMessage("maxPoolSize must be at least 2 (a writer and a reader), was 1");
        assertThatThrownBy(() -> builder.maxBatchRecords(0)).hasMessage("maxBatchRecords must be at least 1, was 0");
        assertThatThrownBy(() -> builder.fetchSize(0)).hasMessage("fetchSize must be at least 1, was 0");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ofMillis(10)))
                .hasMessage("connectTimeout must be at least 250 ms, was PT0.01S");
    }

    @Test
    void theQueryStringStaysOutOfMessagesForItMayHoldAPassword() {
        PostgresStoreOptions options = PostgresStoreOptions.builder(URL + "?password=hunter2&ssl=true")
                .password("hunter3")
                .build();

        assertThat(options.safeJdbcUrl()).isEqualTo(URL);
        assertThat(options.toString()).doesNotContain("hunter");
    }

    @Test
    void theEnvironmentSuppliesCredentialsAndTuning() {
        PostgresStoreOptions options = PostgresStoreOptions.fromEnvironment(
                        URL,
                        Map.of(
                                "VOLT_WORKFLOW_PG_USER",
                                "ci",
                                "VOLT_WORKFLOW_PG_PASSWORD",
                                "s3cret",
                                "VOLT_WORKFLOW_PG_SCHEMA",
                                "volt_ci",
                                "VOLT_WORKFLOW_PG_POOL_SIZE",
                                "4"))
                .build();

        assertThat(options.user()).isEqualTo("ci");
        assertThat(options.password()).isEqualTo("s3cret");
        assertThat(options.schema()).isEqualTo("volt_ci");
        assertThat(options.maxPoolSize()).isEqualTo(4);
        assertThat(PostgresStoreOptions.fromEnvironment(URL, Map.of()).build().schema())
                .isEqualTo("volt");
    }

    @Test
    void everyBadEnvironmentValueIsNamedAtOnce() {
        assertThatThrownBy(() -> PostgresStoreOptions.fromEnvironment(
                        URL,
                        Map.of(
                                "VOLT_WORKFLOW_PG_SCHEMA",
                                "Bad-Schema",
                                "VOLT_WORKFLOW_PG_POOL_SIZE",
                                "many",
                                "VOLT_WORKFLOW_PG_PASSWORD",
                                "s3cret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VOLT_WORKFLOW_PG_SCHEMA: schema 'Bad-Schema' must be")
                .hasMessageContaining("VOLT_WORKFLOW_PG_POOL_SIZE: 'many' is not a whole number")
                .hasMessageNotContaining("s3cret");
    }
}
