package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.Scrape;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ingest meters of /metrics move with real signed webhooks and a real (failing) bot endpoint. */
@Timeout(60)
class IngestMetricsTest {

  @Test
  void dedupHitsDebounceFlushesAndDispatchFailuresAreCounted() {
    Vertx botVertx = Vertx.vertx();
    AtomicInteger botCalls = new AtomicInteger();
    HttpServer bot = Await.result(botVertx.createHttpServer()
        .requestHandler(request -> {
          botCalls.incrementAndGet();
          request.response().setStatusCode(500).end();
        })
        .listen(0, "127.0.0.1"));
    try (BatonInstance baton = BatonInstance.memory(Map.of(
        "BATON_CHANNELS_WHATSAPP_APP_SECRET", Vectors.META_SECRET,
        "BATON_INGEST_DEBOUNCE_WINDOW_MS", "50",
        "BATON_INGEST_DEBOUNCE_MAX_WAIT_MS", "100",
        "BATON_INGEST_DEBOUNCE_SWEEP_INTERVAL_MS", "50",
        "BATON_INGEST_BOT_URL", "http://127.0.0.1:" + bot.actualPort() + "/bot",
        "BATON_INGEST_BOT_SECRET", Vectors.SW_SECRET,
        "BATON_INGEST_BOT_MAX_ATTEMPTS", "1"))) {
      Scrape before = Scrape.of(baton);
      for (int i = 0; i < 2; i++) {
        var response = Await.result(baton.client.post("/webhooks/whatsapp")
            .putHeader("Content-Type", "application/json")
            .putHeader("X-Hub-Signature-256", Vectors.WHATSAPP_SIGNATURE)
            .sendBuffer(Buffer.buffer(Vectors.WHATSAPP_BODY)));
        assertThat(response.statusCode()).isEqualTo(200);
      }

      Scrape.await(baton, v -> v == before.value("baton_dedup_hits_total") + 1, "baton_dedup_hits_total");
      Scrape.await(baton, v -> v == before.value("baton_webhooks_received_total") + 2, "baton_webhooks_received_total");
      Scrape.await(baton, v -> v == before.value("baton_debounce_flushes_total") + 1, "baton_debounce_flushes_total");
      Scrape.await(baton, v -> v == before.value("baton_dispatch_failures_total") + 1, "baton_dispatch_failures_total");
      Scrape.await(baton, v -> v == before.value("baton_dispatch_given_up_total") + 1, "baton_dispatch_given_up_total");
      assertThat(botCalls.get()).isEqualTo(1);
    } finally {
      Await.result(botVertx.close());
    }
  }
}
