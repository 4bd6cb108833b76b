package io.baton.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.TestServices;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /ready checks the store, and Redis when one is configured: real servers, up and down. */
@Timeout(60)
class ReadinessTest {

  private static JsonObject check(JsonObject report, String name) {
    return report.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> name.equals(c.getString("name"))).findFirst().orElseThrow();
  }

  @Test
  void readyWithPostgresAndRedisUp() {
    try (BatonInstance baton = BatonInstance.postgres(Map.of("BATON_REDIS_URL", TestServices.redisUrl()))) {
      var response = Await.result(baton.client.get("/ready").send());

      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject report = response.bodyAsJsonObject();
      assertThat(report.getString("status")).isEqualTo("ready");
      assertThat(check(report, "database").getString("detail")).isEqualTo("postgres");
      assertThat(check(report, "redis").getString("status")).isEqualTo("up");
    }
  }

  @Test
  void notReadyWhenRedisDoesNotAnswer() {
    // Nothing listens on port 1 of loopback: the connection is refused at once.
    try (BatonInstance baton = BatonInstance.memory(Map.of("BATON_REDIS_URL", "redis://127.0.0.1:1"))) {
      var response = Await.result(baton.client.get("/ready").send());

      assertThat(response.statusCode()).isEqualTo(503);
      JsonObject report = response.bodyAsJsonObject();
      assertThat(report.getString("status")).isEqualTo("not_ready");
      assertThat(check(report, "database").getString("status")).isEqualTo("up");
      assertThat(check(report, "redis").getString("status")).isEqualTo("down");
    }
  }
}
