package io.baton.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.ingest.Signatures;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An instance stopping while it sends a debounce batch leaves the batch claimable: another instance
 * on the same PostgreSQL and Redis sends the same batch (same webhook-id) once the lease ends.
 */
@Timeout(90)
class DispatchShutdownTest {

  static final String APP_SECRET = "shutdown-app-secret";
  static final String BOT_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void aBatchUnansweredAtStopIsSentByAnotherInstanceAfterTheLease() throws InterruptedException {
    Vertx botVertx = Vertx.vertx();
    List<String> webhookIds = new CopyOnWriteArrayList<>();
    // The first delivery is never answered (a bot stuck while the instance stops); later ones are.
    HttpServer bot = Await.result(botVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(b -> {
      webhookIds.add(request.getHeader("webhook-id"));
      if (webhookIds.size() > 1) {
        request.response().setStatusCode(200).end("{}");
      }
    })).listen(0, "127.0.0.1"));
    Map<String, String> env = new HashMap<>();
    env.put("BATON_REDIS_URL", TestServices.redisUrl());
    env.put("BATON_REDIS_KEY_PREFIX", "test:" + UUID.randomUUID() + ":");
    env.put("BATON_CHANNELS_WHATSAPP_APP_SECRET", APP_SECRET);
    env.put("BATON_INGEST_BOT_URL", "http://127.0.0.1:" + bot.actualPort() + "/bot");
    env.put("BATON_INGEST_BOT_SECRET", BOT_SECRET);
    env.put("BATON_INGEST_BOT_TIMEOUT_MS", "20000");
    env.put("BATON_INGEST_DEBOUNCE_WINDOW_MS", "50");
    env.put("BATON_INGEST_DEBOUNCE_MAX_WAIT_MS", "100");
    env.put("BATON_INGEST_DEBOUNCE_SWEEP_INTERVAL_MS", "50");
    env.put("BATON_INGEST_DEBOUNCE_LEASE_MS", "1500");
    BatonInstance first = BatonInstance.postgres(env);
    BatonInstance second = null;
    try {
      String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
          + "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},\"messages\":[{\"from\":\"4915550001\","
          + "\"id\":\"wamid." + UUID.randomUUID() + "\",\"timestamp\":\"1749416383\",\"type\":\"text\","
          + "\"text\":{\"body\":\"hello\"}}]}}]}]}";
      assertThat(Await.result(first.client.post("/webhooks/whatsapp")
          .putHeader("X-Hub-Signature-256", Signatures.meta(APP_SECRET, Buffer.buffer(body)))
          .sendBuffer(Buffer.buffer(body))).statusCode()).isEqualTo(200);
      waitFor(() -> webhookIds.size() == 1, "the first instance sends the batch");
      // The second instance starts only now, so the first one is the claimer.
      second = BatonInstance.postgresOn(first.schema(), env);

      long stopping = System.nanoTime();
      Await.result(first.app.stop());
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
      Await.result(first.vertx.close());

      assertThat(stopMillis).as("the stop waits at most about the lease, not the bot's 20 s").isLessThan(10_000);
      waitFor(() -> webhookIds.size() >= 2, "another instance sends the batch after the lease");
      assertThat(webhookIds.get(1)).as("the same batch, which the bot can tell is a repeat").isEqualTo(webhookIds.get(0));
      Thread.sleep(500);
      assertThat(webhookIds).as("sent again once, and completed").hasSize(2);
    } finally {
      if (second != null) {
        second.close();
      }
      TestServices.dropSchema(first.schema());
      Await.result(botVertx.close());
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within 30 s");
      }
      Thread.sleep(20);
    }
  }
}
