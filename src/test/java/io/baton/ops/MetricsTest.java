package io.baton.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.baton.support.Scrape;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** GET /metrics over real HTTP: the counters and gauges move with what Baton does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class MetricsTest {

  private static final String HANDOFFS = "baton_handoffs_total";
  private BatonInstance baton;
  private ContractCheck contract;

  @BeforeAll
  void start() {
    baton = BatonInstance.memory(Map.of(
        "BATON_OBSERVABILITY_QUEUE_SAMPLE_MS", "100",
        // A queue of its own escalates after a second, so the escalation counter can be watched.
        "BATON_OPERATOR_ESCALATION_QUEUES", new JsonObject()
            .put("metrics_escalation", new JsonObject().put("max_wait_seconds", 1)).encode(),
        "BATON_OPERATOR_ESCALATION_SWEEP_INTERVAL_MS", "100",
        "BATON_ROUTING_RULES", new JsonArray().add(new JsonObject().put("name", "escalating")
            .put("when", new JsonArray().add(new JsonObject().put("field", "metadata.lane").put("equals", "slow")))
            .put("queue", "metrics_escalation")).encode()));
    contract = new ContractCheck(baton.vertx);
  }

  @AfterAll
  void stop() {
    baton.close();
  }

  private JsonObject create(String conversationId, JsonObject metadata) {
    JsonObject body = new JsonObject().put("conversation_id", conversationId).put("user_id", "u")
        .put("metadata", metadata)
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "a human please")));
    HttpResponse<Buffer> response = Await.result(baton.client.post("/api/v1/handoff").sendJsonObject(body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  @Test
  void theScrapeIsPrometheusTextAndMatchesTheContract() {
    HttpResponse<Buffer> response = contract.validate("metrics", Await.result(baton.client.get("/metrics").send()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(response.bodyAsString()).contains("# TYPE baton_handoffs_total counter",
        "# TYPE baton_sse_connections gauge", "baton_event_relay_lag_seconds", "baton_dedup_hits_total",
        "baton_debounce_flushes_total", "baton_dispatch_failures_total");
  }

  @Test
  void handoffCountersMoveWithCreateAssignAndResolve() {
    Scrape before = Scrape.of(baton);
    String id = create("conv-" + UUID.randomUUID(), new JsonObject()).getString("handoff_id");
    Scrape.await(baton, v -> v == before.value(HANDOFFS, "event", "created") + 1, HANDOFFS, "event", "created");

    assertThat(Await.result(baton.client.post("/api/v1/handoffs/" + id + "/assign")
        .sendJsonObject(new JsonObject().put("agent_id", "agent-metrics"))).statusCode()).isEqualTo(200);
    Scrape.await(baton, v -> v == before.value(HANDOFFS, "event", "assigned") + 1, HANDOFFS, "event", "assigned");

    assertThat(Await.result(baton.client.post("/api/v1/handoffs/" + id + "/resolve")
        .sendJsonObject(new JsonObject().put("resolution", "done"))).statusCode()).isEqualTo(200);
    Scrape.await(baton, v -> v == before.value(HANDOFFS, "event", "resolved") + 1, HANDOFFS, "event", "resolved");
    assertThat(Scrape.of(baton).value("baton_event_relay_delay_seconds_count"))
        .isGreaterThanOrEqualTo(before.value("baton_event_relay_delay_seconds_count") + 3);
  }

  @Test
  void queueGaugesShowPendingHandoffsAndEscalationsAreCounted() {
    double escalated = Scrape.of(baton).value(HANDOFFS, "event", "escalated");
    create("conv-" + UUID.randomUUID(), new JsonObject().put("lane", "slow"));
    create("conv-" + UUID.randomUUID(), new JsonObject().put("lane", "slow"));

    Scrape.await(baton, v -> v == 2, "baton_queue_depth", "queue", "metrics_escalation");
    Scrape.await(baton, v -> v >= 1.0, "baton_queue_oldest_age_seconds", "queue", "metrics_escalation");
    Scrape.await(baton, v -> v >= escalated + 2, HANDOFFS, "event", "escalated");
  }

  @Test
  void httpRequestsAreCountedPerRouteTemplateNeverPerPath() {
    for (int i = 0; i < 3; i++) {
      assertThat(Await.result(baton.client.get("/api/v1/handoffs/ho-unknown-" + i).send()).statusCode())
          .isEqualTo(404);
    }
    Scrape scrape = Scrape.of(baton);

    String route = "/api/v1/handoffs/:handoff_id";
    assertThat(scrape.value("vertx_http_server_requests_total", "route", route, "method", "GET", "code", "404"))
        .isGreaterThanOrEqualTo(3);
    assertThat(scrape.value("vertx_http_server_response_time_seconds_bucket", "route", route, "code", "404",
        "le", "+Inf")).isGreaterThanOrEqualTo(3);
    assertThat(scrape.text).doesNotContain("ho-unknown");
  }

  @Test
  void openEventStreamsAreAGauge() {
    HttpClient http = baton.vertx.createHttpClient();
    HttpClientResponse stream = Await.result(http.request(new RequestOptions().setMethod(HttpMethod.GET)
            .setHost("127.0.0.1").setPort(baton.port).setURI("/api/v1/events?conversation_id=metrics-sse"))
        .compose(request -> request.send()));
    assertThat(stream.statusCode()).isEqualTo(200);

    Scrape.await(baton, v -> v >= 1, "baton_sse_connections");
    Await.result(http.close());
    Scrape.await(baton, v -> v == 0, "baton_sse_connections");
  }
}
