package io.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.config.BatonConfig.StorageMode;
import io.baton.support.BatonInstance;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatonConfigTest {

  private final JsonObject shipped = BatonInstance.shippedConfig();

  @Test
  void theShippedFileGivesTheDocumentedDefaults() {
    BatonConfig config = BatonConfig.from(shipped, Map.of());

    assertThat(config.http().port()).isEqualTo(8000);
    assertThat(config.http().bodyLimitBytes()).isEqualTo(262_144);
    assertThat(config.storage().mode()).isEqualTo(StorageMode.MEMORY);
    assertThat(config.redis().configured()).isFalse();
    assertThat(config.handoff().idempotencyTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(config.unknownVariables()).isEmpty();
  }

  @Test
  void everySettingCanBeOverriddenFromTheEnvironmentWithItsType() {
    BatonConfig config = BatonConfig.from(shipped, Map.of(
        "BATON_HTTP_PORT", "9001",
        "BATON_HTTP_BODY_LIMIT_BYTES", "1024",
        "BATON_STORAGE_POSTGRES_URL", "postgresql://db:5432/baton",
        "BATON_STORAGE_POSTGRES_POOL_SIZE", "4",
        "BATON_REDIS_URL", "redis://cache:6379",
        "BATON_HANDOFF_IDEMPOTENCY_TTL_HOURS", "2"));

    assertThat(config.http().port()).isEqualTo(9001);
    assertThat(config.http().bodyLimitBytes()).isEqualTo(1024);
    assertThat(config.storage().mode()).isEqualTo(StorageMode.POSTGRES);
    assertThat(config.storage().postgres().poolSize()).isEqualTo(4);
    assertThat(config.redis().url()).isEqualTo("redis://cache:6379");
    assertThat(config.handoff().idempotencyTtl()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void operatorSettingsHaveDocumentedDefaultsAndPerQueueOverridesFromTheEnvironment() {
    BatonConfig defaults = BatonConfig.from(shipped, Map.of());
    assertThat(defaults.operator().autoAssign().enabledFor("general_support")).isTrue();
    assertThat(defaults.operator().waitEstimateHistory()).isEqualTo(50);
    assertThat(defaults.operator().escalation().forQueue("general_support").maxWait()).isZero();
    assertThat(defaults.operator().escalation().sweepInterval()).isEqualTo(Duration.ofSeconds(5));

    BatonConfig config = BatonConfig.from(shipped, Map.of(
        "BATON_OPERATOR_AUTO_ASSIGN_ENABLED", "false",
        "BATON_OPERATOR_AUTO_ASSIGN_QUEUES", "{\"vip_support\":{\"enabled\":true}}",
        "BATON_OPERATOR_ESCALATION_MAX_WAIT_SECONDS", "300",
        "BATON_OPERATOR_ESCALATION_QUEUES",
        "{\"billing_support\":{\"max_wait_seconds\":60,\"fallback_queue\":\"general_support\"}}"));

    assertThat(config.operator().autoAssign().enabledFor("general_support")).isFalse();
    assertThat(config.operator().autoAssign().enabledFor("vip_support")).isTrue();
    assertThat(config.operator().escalation().forQueue("general_support"))
        .isEqualTo(new BatonConfig.QueueEscalation(Duration.ofSeconds(300), true, ""));
    assertThat(config.operator().escalation().forQueue("billing_support"))
        .isEqualTo(new BatonConfig.QueueEscalation(Duration.ofSeconds(60), true, "general_support"));
    assertThat(config.unknownVariables()).isEmpty();
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_OPERATOR_AUTO_ASSIGN_QUEUES", "{\"x\":1}")))
        .hasMessageContaining("operator.auto_assign.queues.x");
  }

  @Test
  void mapsAndListsAreOverriddenWithJson() {
    BatonConfig config = BatonConfig.from(shipped, Map.of("BATON_ROUTING", "{\"default_queue\":\"elsewhere\"}"));
    assertThat(config.routing()).isEqualTo(new JsonObject().put("default_queue", "elsewhere"));
  }

  @Test
  void variablesThatNameNoSettingAreReported() {
    BatonConfig config = BatonConfig.from(shipped, Map.of("BATON_HTTP_PROT", "1", "BATON_TEST_PG_URL", "x",
        "PATH", "/bin"));
    assertThat(config.unknownVariables()).containsExactly("BATON_HTTP_PROT");
  }

  @Test
  void badValuesStopStartUpWithTheVariableNamed() {
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_HTTP_PORT", "eighty")))
        .hasMessageContaining("BATON_HTTP_PORT");
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_STORAGE_MODE", "postgres")))
        .hasMessageContaining("BATON_STORAGE_POSTGRES_URL");
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_STORAGE_MODE", "disk")))
        .hasMessageContaining("auto, memory or postgres");
  }

  @Test
  void eventAndStreamSettingsHaveTheDocumentedDefaultsAndRefuseZero() {
    BatonConfig config = BatonConfig.from(shipped, Map.of("BATON_SSE_KEEPALIVE_MS", "250"));

    assertThat(config.events().poll()).isEqualTo(Duration.ofMillis(25));
    assertThat(config.events().retention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.sse().keepalive()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.sse().retry()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.sse().maxStreams()).isEqualTo(10_000);
    assertThat(config.sse().maxStreamsPerClient()).isEqualTo(100);
    // The code's defaults are the file's.
    BatonConfig withoutFile = BatonConfig.from(new JsonObject(), Map.of());
    BatonConfig fromFile = BatonConfig.from(shipped, Map.of());
    assertThat(withoutFile.sse()).isEqualTo(fromFile.sse());
    assertThat(withoutFile.events()).isEqualTo(fromFile.events());
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_SSE_MAX_STREAMS", "0")))
        .hasMessageContaining("sse.max_streams must be above 0");
  }
}
