package io.baton.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.FakeHelpdesk;
import io.baton.support.FakeHelpdesk.Flavour;
import io.baton.support.Scrape;
import io.baton.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /ready checks the store, Redis when one is configured, the event relay and breakers: real servers, up and down. */
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
  void notReadyWhenTheEventRelayFallsBehindAndTheBodySaysWhichCheckFailed() {
    // The relay reads the log at start and then only when woken (poll every minute): after 200 ms
    // without a read it is behind the limit, as a relay that cannot reach the log would be.
    try (BatonInstance baton = BatonInstance.memory(Map.of("BATON_EVENTS_POLL_MS", "60000",
        "BATON_OBSERVABILITY_READY_MAX_RELAY_LAG_MS", "200"))) {
      Scrape.await(baton, lag -> lag > 0.2, "baton_event_relay_lag_seconds");
      // The readiness report, not a problem: a load balancer and a person both read which check failed.
      var response = Await.result(baton.client.get("/ready").send());

      assertThat(response.statusCode()).isEqualTo(503);
      JsonObject report = response.bodyAsJsonObject();
      assertThat(report.getJsonArray("failed")).containsExactly("event_relay");
      assertThat(check(report, "event_relay").getString("status")).isEqualTo("down");
      assertThat(check(report, "event_relay").getLong("lag_ms")).isGreaterThan(200);
      assertThat(check(report, "database").getString("status")).isEqualTo("up");
    }
  }

  @Test
  void aCurrentRelayIsReported() {
    try (BatonInstance baton = BatonInstance.memory(Map.of())) {
      JsonObject report = Await.result(baton.client.get("/ready").send()).bodyAsJsonObject();

      assertThat(report.getString("status")).isEqualTo("ready");
      assertThat(report.getJsonArray("failed")).isEmpty();
      assertThat(check(report, "event_relay").getString("status")).isEqualTo("up");
    }
  }

  @Test
  void anOpenHelpdeskBreakerIsShownAndMeteredButKeepsTheInstanceReady() {
    Vertx fakes = Vertx.vertx();
    FakeHelpdesk zendesk = FakeHelpdesk.start(fakes, Flavour.ZENDESK).down(true);
    try (BatonInstance baton = BatonInstance.memory(Map.of(
        "BATON_HELPDESK_ADAPTER", "zendesk",
        "BATON_HELPDESK_ZENDESK_BASE_URL", zendesk.baseUrl(),
        "BATON_HELPDESK_ZENDESK_EMAIL", "agent@example.com",
        "BATON_HELPDESK_ZENDESK_API_TOKEN", "tok",
        "BATON_HELPDESK_BREAKER_FAILURE_THRESHOLD", "1",
        "BATON_HELPDESK_BREAKER_RESET_TIMEOUT_MS", "60000"))) {
      assertThat(Scrape.of(baton).value("baton_breaker_state", "breaker", "helpdesk")).isEqualTo(0);
      JsonObject body = new JsonObject().put("conversation_id", "conv-breaker").put("user_id", "u")
          .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "a human")));
      Await.result(baton.client.post("/api/v1/handoff").sendJsonObject(body));

      Scrape.await(baton, state -> state == 2, "baton_breaker_state", "breaker", "helpdesk");
      var response = Await.result(baton.client.get("/ready").send());
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject helpdesk = check(response.bodyAsJsonObject(), "helpdesk");
      assertThat(helpdesk.getString("breaker")).isEqualTo("open");
      assertThat(helpdesk.getString("status")).isEqualTo("down");
      assertThat(helpdesk.getBoolean("affects_readiness")).isFalse();
    } finally {
      zendesk.close();
      Await.result(fakes.close());
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
      assertThat(report.getJsonArray("failed")).containsExactly("redis");
      assertThat(check(report, "database").getString("status")).isEqualTo("up");
      assertThat(check(report, "redis").getString("status")).isEqualTo("down");
    }
  }
}
