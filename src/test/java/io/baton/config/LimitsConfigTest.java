package io.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.config.BatonConfig.Quota;
import io.baton.config.BatonConfig.RateStore;
import io.baton.config.BatonConfig.RedisFailure;
import io.baton.support.BatonInstance;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsConfigTest {

  private final JsonObject shipped = BatonInstance.shippedConfig();

  @Test
  void theShippedFileGivesTheDocumentedLimitsAndHeaders() {
    BatonConfig config = BatonConfig.from(shipped, Map.of());

    assertThat(config.http().maxHeaderSize()).isEqualTo(8_192);
    assertThat(config.http().maxInitialLineLength()).isEqualTo(4_096);
    assertThat(config.limits().jsonMaxDepth()).isEqualTo(32);
    assertThat(config.limits().jsonMaxStringLength()).isEqualTo(65_536);
    assertThat(config.limits().rate().enabled()).isTrue();
    assertThat(config.limits().rate().store()).isEqualTo(RateStore.AUTO);
    assertThat(config.limits().rate().onRedisFailure()).isEqualTo(RedisFailure.LOCAL);
    assertThat(config.limits().rate().groups()).containsOnlyKeys("api", "streams", "webhooks");
    assertThat(config.limits().rate().groups().get("api").perIp()).isEqualTo(new Quota(6_000, Duration.ofSeconds(60)));
    assertThat(config.limits().rate().groups().get("webhooks").perKey().limited()).isFalse();
    assertThat(config.headers().hstsMaxAgeSeconds()).isZero();
    assertThat(config.headers().cors().enabled()).isFalse();
    assertThat(config.unknownVariables()).isEmpty();
  }

  @Test
  void groupQuotasAndCorsAreOverriddenFromTheEnvironment() {
    BatonConfig config = BatonConfig.from(shipped, Map.of(
        "BATON_LIMITS_RATE_GROUPS_STREAMS_PER_IP_QUOTA", "5",
        "BATON_LIMITS_RATE_GROUPS_STREAMS_PER_IP_WINDOW_SECONDS", "10",
        "BATON_LIMITS_RATE_ON_REDIS_FAILURE", "closed",
        "BATON_HEADERS_CORS_ENABLED", "true",
        "BATON_HEADERS_CORS_ALLOWED_ORIGINS", "[\"https://agents.example.com\"]"));

    assertThat(config.limits().rate().groups().get("streams").perIp()).isEqualTo(new Quota(5, Duration.ofSeconds(10)));
    assertThat(config.limits().rate().onRedisFailure()).isEqualTo(RedisFailure.CLOSED);
    assertThat(config.headers().cors().allowedOrigins()).isEqualTo(List.of("https://agents.example.com"));
    assertThat(config.unknownVariables()).isEmpty();
  }

  @Test
  void nonsenseIsRefusedAtStartUpWithTheSettingsName() {
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_LIMITS_RATE_ON_REDIS_FAILURE", "maybe")))
        .hasMessageContaining("limits.rate.on_redis_failure").hasMessageContaining("local");
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_LIMITS_RATE_GROUPS",
        "{\"admin\":{\"per_ip\":{\"quota\":1,\"window_seconds\":1}}}")))
        .hasMessageContaining("limits.rate.groups.admin");
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_LIMITS_RATE_GROUPS_API_PER_IP_WINDOW_SECONDS", "0")))
        .hasMessageContaining("limits.rate.groups.api.per_ip");
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_HEADERS_CORS_ENABLED", "true")))
        .hasMessageContaining("headers.cors.allowed_origins");
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_HEADERS_CORS_ENABLED", "true",
        "BATON_HEADERS_CORS_ALLOWED_ORIGINS", "[\"*\"]", "BATON_HEADERS_CORS_ALLOW_CREDENTIALS", "true")))
        .hasMessageContaining("allow_credentials");
    assertThatThrownBy(() -> BatonConfig.from(shipped, Map.of("BATON_LIMITS_JSON_MAX_DEPTH", "0")))
        .hasMessageContaining("json.max_depth");
  }
}
