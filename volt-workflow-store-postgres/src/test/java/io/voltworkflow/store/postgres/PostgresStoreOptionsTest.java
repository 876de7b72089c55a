package io.voltworkflow.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
        .hasMessage("schema 'Volt-Prod' must be 1-63 lower-case letters, digits or '_', not starting with a digit");
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
        .password("hunter3").build();

    assertThat(options.safeJdbcUrl()).isEqualTo(URL);
    assertThat(options.toString()).doesNotContain("hunter");
  }
}
