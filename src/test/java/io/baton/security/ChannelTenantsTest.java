package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.ingest.Signatures;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.buffer.Buffer;
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

/**
 * Webhooks carry no caller identity: a channel account's messages are written in the tenant its
 * configuration names, and the chatbot webhook's handoffs in the chatbot's tenant. Other tenants,
 * and the default one, do not see them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class ChannelTenantsTest {

  private static final String DEFAULT_SECRET = "default-app-secret-1";
  private static final String GLOBEX_SECRET = "globex-app-secret-2";
  private static final String GLOBEX_ACCOUNT = "106540352242922";
  private static final String CHATBOT_SECRET = "chatbot-secret-3";

  private BatonInstance baton;

  protected abstract BatonInstance startBaton(Map<String, String> env);

  @BeforeAll
  void start() {
    Map<String, String> env = new java.util.HashMap<>(Credentials.env("default", "globex"));
    env.put("BATON_CHANNELS_WHATSAPP_APP_SECRET", DEFAULT_SECRET);
    env.put("BATON_CHANNELS_WHATSAPP_ACCOUNTS", new JsonObject()
        .put(GLOBEX_ACCOUNT, new JsonObject().put("secret", GLOBEX_SECRET).put("tenant", "globex")).encode());
    env.put("BATON_CHANNELS_CHATBOT_SECRET", CHATBOT_SECRET);
    env.put("BATON_CHANNELS_CHATBOT_TENANT", "globex");
    baton = startBaton(env);
  }

  @AfterAll
  void stop() {
    baton.close();
  }

  private String admin(String tenant) {
    return "Bearer " + Credentials.token(baton.vertx, Credentials.claims(tenant, "admin"));
  }

  private HttpResponse<Buffer> get(String tenant, String path) {
    return Await.result(baton.client.get(path).putHeader("Authorization", admin(tenant)).send());
  }

  private static String whatsapp(String account, String from, String id) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"" + account + "\"},"
        + "\"contacts\":[{\"profile\":{\"name\":\"Ana\"},\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\""
        + from + "\",\"id\":\"" + id + "\",\"timestamp\":\"1749416383\",\"type\":\"text\","
        + "\"text\":{\"body\":\"hello from " + account + "\"}}]}}]}]}";
  }

  private void post(String secret, String body) {
    HttpResponse<Buffer> response = Await.result(baton.client.post("/webhooks/whatsapp")
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Hub-Signature-256", Signatures.meta(secret, Buffer.buffer(body)))
        .sendBuffer(Buffer.buffer(body)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  @Test
  void anAccountsMessagesAreWrittenInItsTenant() {
    String customer = String.valueOf(1_000_000_000L + (long) (Math.random() * 8_000_000_000L));
    String conversation = "/api/v1/conversations/whatsapp:" + customer + "/messages";
    post(GLOBEX_SECRET, whatsapp(GLOBEX_ACCOUNT, customer, "wamid." + UUID.randomUUID()));

    HttpResponse<Buffer> theirs = get("globex", conversation);
    assertThat(theirs.statusCode()).isEqualTo(200);
    assertThat(theirs.bodyAsJsonObject().getJsonArray("messages")).hasSize(1);
    assertThat(get("default", conversation).statusCode()).isEqualTo(404);

    // The same customer writing to an account of the default tenant is another conversation.
    post(DEFAULT_SECRET, whatsapp("200300400500600", customer, "wamid." + UUID.randomUUID()));
    JsonArray ours = get("default", conversation).bodyAsJsonObject().getJsonArray("messages");
    assertThat(ours).hasSize(1);
    assertThat(ours.getJsonObject(0).getString("content")).isEqualTo("hello from 200300400500600");
    assertThat(get("globex", conversation).bodyAsJsonObject().getJsonArray("messages")).hasSize(1);
  }

  @Test
  void theChatbotsHandoffsAreWrittenInItsTenant() {
    JsonObject body = new JsonObject().put("session_id", "s-" + UUID.randomUUID())
        .put("initial_message", "I need a person").put("priority", "high");
    HttpResponse<Buffer> created = Await.result(baton.client.post("/webhooks/chatbot")
        .putHeader("Content-Type", "application/json").putHeader("X-Chatbot-Secret", CHATBOT_SECRET)
        .sendBuffer(body.toBuffer()));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    String handoffId = created.bodyAsJsonObject().getString("handoff_id");

    assertThat(get("globex", "/api/v1/handoffs/" + handoffId).statusCode()).isEqualTo(200);
    assertThat(get("default", "/api/v1/handoffs/" + handoffId).statusCode()).isEqualTo(404);
  }
}
