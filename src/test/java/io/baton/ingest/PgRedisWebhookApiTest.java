package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The webhook contract on PostgreSQL and the real test Redis (keys under a prefix of this run's own),
 * plus what only a shared deployment shows: duplicates arriving at two instances are processed once,
 * and the timeline's durable key still refuses a duplicate after Redis forgot it.
 */
class PgRedisWebhookApiTest extends WebhookApiContract {

  private final String prefix = "test-" + UUID.randomUUID() + ":";

  @Override
  protected Map<String, String> channelEnv() {
    Map<String, String> env = new HashMap<>(super.channelEnv());
    env.put("BATON_REDIS_URL", TestServices.redisUrl());
    env.put("BATON_REDIS_KEY_PREFIX", prefix);
    return env;
  }

  @Override
  protected BatonInstance startBaton(Map<String, String> env) {
    return BatonInstance.postgres(env);
  }

  private static String body(String from, String id) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"metadata\":{\"phone_number_id\":\"106540352242922\"},\"messages\":[{\"from\":\"" + from
        + "\",\"id\":\"" + id + "\",\"timestamp\":\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"twice\"}}]}}]}]}";
  }

  private static Future<HttpResponse<Buffer>> post(BatonInstance instance, String body) {
    return instance.client.post("/webhooks/whatsapp")
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Hub-Signature-256", Signatures.meta(Vectors.META_SECRET, Buffer.buffer(body)))
        .sendBuffer(Buffer.buffer(body));
  }

  private long stored(String from) {
    return Await.result(baton.client.get("/api/v1/conversations/whatsapp:" + from + "/messages").send())
        .bodyAsJsonObject().getLong("total_count");
  }

  @Test
  void duplicatesArrivingAtTwoInstancesAreProcessedOnce() {
    try (BatonInstance second = BatonInstance.postgresOn(baton.schema(), channelEnv())) {
      List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
      List<String> customers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String from = "4477" + (100000 + i) + (System.nanoTime() % 1000);
        String body = body(from, "wamid." + UUID.randomUUID());
        customers.add(from);
        for (int copy = 0; copy < 3; copy++) {
          posts.add(post(baton, body));
          posts.add(post(second, body));
        }
      }
      Await.result(Future.all(posts));

      assertThat(posts).allSatisfy(p -> assertThat(p.result().statusCode()).isEqualTo(200));
      assertThat(customers).allSatisfy(from -> assertThat(stored(from)).isEqualTo(1));
    }
  }

  @Test
  void theTimelinesKeyRefusesADuplicateAfterRedisForgotIt() {
    String from = "4478" + System.nanoTime() % 1_000_000_000L;
    String id = "wamid." + UUID.randomUUID();
    assertThat(Await.result(post(baton, body(from, id))).statusCode()).isEqualTo(200);
    io.vertx.redis.client.Redis redis = io.vertx.redis.client.Redis.createClient(baton.vertx, TestServices.redisUrl());
    try {
      Await.result(redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL)
          .arg(prefix + "dedup:whatsapp:" + id)));
    } finally {
      redis.close();
    }

    JsonObject before = Await.result(baton.client.get("/stats").send()).bodyAsJsonObject();
    HttpResponse<Buffer> repeat = Await.result(post(baton, body(from, id)));

    assertThat(repeat.statusCode()).isEqualTo(200);
    assertThat(stored(from)).isEqualTo(1);
    // The timeline's key decided: counted as a duplicate, and not buffered for the bot again.
    JsonObject after = Await.result(baton.client.get("/stats").send()).bodyAsJsonObject();
    assertThat(after.getJsonObject("deduplication").getString("cache_type")).isEqualTo("redis");
    assertThat(after.getJsonObject("deduplication").getLong("total_deduplicated"))
        .isEqualTo(before.getJsonObject("deduplication").getLong("total_deduplicated") + 1);
    assertThat(after.getJsonObject("buffer").getLong("total_buffered"))
        .isEqualTo(before.getJsonObject("buffer").getLong("total_buffered"));
  }

  @Test
  void aStatusThatCouldNotBeRecordedFailsTheWebhookAndItsRetryAppliesIt() {
    String phone = "4479" + System.nanoTime() % 1_000_000_000L;
    String wamid = "wamid.out-" + UUID.randomUUID();
    assertThat(Await.result(post(baton, body(phone, "wamid." + UUID.randomUUID()))).statusCode()).isEqualTo(200);
    assertThat(Await.result(baton.client.post("/api/v1/operator-message").sendJsonObject(new JsonObject()
        .put("phone", phone).put("message", "On it").put("messageId", wamid))).statusCode()).isEqualTo(200);
    String read = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
        + "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},\"statuses\":[{\"id\":\"" + wamid
        + "\",\"status\":\"read\",\"timestamp\":\"1749416390\",\"recipient_id\":\"" + phone + "\"}]}}]}]}";

    // The database refuses the status update, as a failing or overloaded one would.
    TestServices.execute(baton.schema(), "CREATE FUNCTION refuse_status() RETURNS trigger LANGUAGE plpgsql AS "
        + "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; CREATE TRIGGER refuse_status BEFORE UPDATE OF "
        + "delivery_status ON messages FOR EACH ROW EXECUTE FUNCTION refuse_status()");
    HttpResponse<Buffer> refused;
    try {
      refused = Await.result(post(baton, read));
    } finally {
      TestServices.execute(baton.schema(), "DROP TRIGGER refuse_status ON messages; DROP FUNCTION refuse_status()");
    }
    assertThat(refused.statusCode()).as("not acknowledged, so the provider sends it again").isEqualTo(503);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("delivery status");

    // The provider's retry is not taken for a repeat of a status already seen.
    assertThat(Await.result(post(baton, read)).statusCode()).isEqualTo(200);
    JsonObject sent = Await.result(baton.client.get("/api/v1/conversations/whatsapp:" + phone + "/messages").send())
        .bodyAsJsonObject().getJsonArray("messages").getJsonObject(1);
    assertThat(sent.getString("message_id")).isEqualTo(wamid);
    assertThat(sent.getString("delivery_status")).isEqualTo("read");
  }
}
