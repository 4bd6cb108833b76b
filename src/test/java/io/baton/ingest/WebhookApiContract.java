package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The channel webhooks over real HTTP, answers validated against openapi.yaml: handshakes,
 * signatures over the raw bytes (the protocols' vectors and their negative cases), the "received"
 * answer whatever the content, normalisation into the timeline, dedup, and chatbot escalations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
public abstract class WebhookApiContract {

  static final String VERIFY_TOKEN = "verify-me";
  static final String CHATBOT_SECRET = "chatbot-shared-secret";
  /** An account with a secret of its own: the default secret may not speak for it. */
  static final String OWN_ACCOUNT = "999000111";

  protected BatonInstance baton;
  private ContractCheck contract;

  protected abstract BatonInstance startBaton(Map<String, String> env);

  protected Map<String, String> channelEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("BATON_CHANNELS_WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
    env.put("BATON_CHANNELS_WHATSAPP_APP_SECRET", Vectors.META_SECRET);
    env.put("BATON_CHANNELS_WHATSAPP_ACCOUNTS", new JsonObject().put(OWN_ACCOUNT, "its-own-secret").encode());
    env.put("BATON_CHANNELS_MESSENGER_VERIFY_TOKEN", VERIFY_TOKEN);
    env.put("BATON_CHANNELS_MESSENGER_APP_SECRET", Vectors.META_SECRET);
    env.put("BATON_CHANNELS_TWITTER_CONSUMER_SECRET", Vectors.X_SECRET);
    env.put("BATON_CHANNELS_CHATBOT_SECRET", CHATBOT_SECRET);
    return env;
  }

  @BeforeAll
  void start() {
    baton = startBaton(channelEnv());
    contract = new ContractCheck(baton.vertx);
  }

  @AfterAll
  void stop() {
    baton.close();
  }

  private HttpResponse<Buffer> send(String operationId, HttpRequest<Buffer> request, Buffer body) {
    return contract.validate(operationId, Await.result(body == null ? request.send() : request.sendBuffer(body)));
  }

  private HttpResponse<Buffer> postMeta(String path, String body, String signature) {
    HttpRequest<Buffer> request = baton.client.post(path).putHeader("Content-Type", "application/json");
    if (signature != null) {
      request.putHeader("X-Hub-Signature-256", signature);
    }
    String operationId = switch (path) {
      case "/webhook" -> "receiveWebhook";
      case "/webhooks/messenger" -> "receiveMessengerWebhook";
      default -> "receiveWhatsAppWebhook";
    };
    return send(operationId, request, Buffer.buffer(body));
  }

  private HttpResponse<Buffer> postSigned(String path, String body) {
    return postMeta(path, body, Signatures.meta(Vectors.META_SECRET, Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> postTwitter(String body) {
    return send("receiveTwitterWebhook", baton.client.post("/webhooks/twitter")
        .putHeader("Content-Type", "application/json")
        .putHeader("x-twitter-webhooks-signature", Signatures.twitter(Vectors.X_SECRET, body.getBytes())),
        Buffer.buffer(body));
  }

  private JsonArray timeline(String conversationKey) {
    HttpResponse<Buffer> response = contract.validate("listConversationMessages",
        Await.result(baton.client.get("/api/v1/conversations/" + conversationKey + "/messages").send()));
    return response.statusCode() == 404 ? new JsonArray() : response.bodyAsJsonObject().getJsonArray("messages");
  }

  private JsonObject stats() {
    return send("stats", baton.client.get("/stats"), null).bodyAsJsonObject();
  }

  private static String whatsapp(String from, String id, String messageJson) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"106540352242922\"},"
        + "\"contacts\":[{\"profile\":{\"name\":\"Ana\"},\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\""
        + from + "\",\"id\":\"" + id + "\",\"timestamp\":\"1749416383\"," + messageJson + "}]}}]}]}";
  }

  private static String customer() {
    return String.valueOf(1_000_000_000L + (long) (Math.random() * 8_000_000_000L));
  }

  // ---- handshakes ----

  @Test
  void metaHandshakeAnswersTheChallengeByteForByte() {
    for (String path : new String[] {"/webhooks/whatsapp", "/webhook", "/webhooks/messenger"}) {
      String operationId = switch (path) {
        case "/webhook" -> "verifyWebhook";
        case "/webhooks/messenger" -> "verifyMessengerWebhook";
        default -> "verifyWhatsAppWebhook";
      };
      HttpResponse<Buffer> ok = send(operationId, baton.client.get(path
          + "?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=1158201444"), null);
      HttpResponse<Buffer> wrong = send(operationId, baton.client.get(path
          + "?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444"), null);
      HttpResponse<Buffer> missing = send(operationId, baton.client.get(path + "?hub.mode=subscribe"), null);

      assertThat(ok.statusCode()).as(path).isEqualTo(200);
      assertThat(ok.bodyAsString()).isEqualTo("1158201444");
      assertThat(ok.getHeader("Content-Type")).startsWith("text/plain");
      assertThat(wrong.statusCode()).isEqualTo(403);
      assertThat(wrong.bodyAsJsonObject().getString("detail")).isEqualTo("Verification failed");
      assertThat(missing.statusCode()).isEqualTo(400);
    }
  }

  @Test
  void twitterCrcMatchesTheVector() {
    HttpResponse<Buffer> crc = send("twitterCrc", baton.client.get("/webhooks/twitter?crc_token=" + Vectors.X_CRC_TOKEN),
        null);
    HttpResponse<Buffer> missing = send("twitterCrc", baton.client.get("/webhooks/twitter"), null);

    assertThat(crc.statusCode()).isEqualTo(200);
    assertThat(crc.bodyAsJsonObject()).isEqualTo(new JsonObject(Vectors.X_CRC_ANSWER));
    assertThat(missing.statusCode()).isEqualTo(400);
  }

  // ---- signatures ----

  @Test
  void theWhatsAppVectorIsReceivedAndStoredOnce() {
    HttpResponse<Buffer> first = postMeta("/webhooks/whatsapp", Vectors.WHATSAPP_BODY, Vectors.WHATSAPP_SIGNATURE);
    long deduplicated = stats().getJsonObject("deduplication").getLong("total_deduplicated");
    HttpResponse<Buffer> again = postMeta("/webhook", Vectors.WHATSAPP_BODY, Vectors.WHATSAPP_SIGNATURE);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "received"));
    assertThat(again.statusCode()).isEqualTo(200);
    JsonArray messages = timeline("whatsapp:16505551234");
    assertThat(messages).hasSize(1);
    JsonObject message = messages.getJsonObject(0);
    assertThat(message.getString("message_id")).isEqualTo("wamid.TEST0001");
    assertThat(message.getString("content")).isEqualTo("Hola");
    assertThat(message.getString("message_owner")).isEqualTo("user");
    assertThat(message.getJsonObject("media").getString("customer_name")).isEqualTo("Ana Test");
    assertThat(stats().getJsonObject("deduplication").getLong("total_deduplicated")).isEqualTo(deduplicated + 1);
  }

  @Test
  void badOrMissingSignaturesAre401AndNothingIsStored() {
    String from = customer();
    String body = whatsapp(from, "wamid." + UUID.randomUUID(), "\"type\":\"text\",\"text\":{\"body\":\"hi\"}");
    String signature = Signatures.meta(Vectors.META_SECRET, Buffer.buffer(body));
    String pretty = new JsonObject(body).encodePrettily();

    HttpResponse<Buffer> missing = postMeta("/webhooks/whatsapp", body, null);
    HttpResponse<Buffer> changedByte = postMeta("/webhooks/whatsapp", body.replace("\"hi\"", "\"ho\""), signature);
    HttpResponse<Buffer> prettyPrinted = postMeta("/webhooks/whatsapp", pretty, signature);
    HttpResponse<Buffer> otherSecret = postMeta("/webhooks/whatsapp", body,
        Signatures.meta("not-the-secret", Buffer.buffer(body)));

    for (HttpResponse<Buffer> refused : java.util.List.of(missing, changedByte, prettyPrinted, otherSecret)) {
      assertThat(refused.statusCode()).isEqualTo(401);
    }
    assertThat(timeline("whatsapp:" + from)).isEmpty();
  }

  @Test
  void nonAsciiEscapesAreVerifiedOverTheBytesReceived() {
    String from = customer();
    // Meta escapes non-ASCII: the bytes signed are the escapes, not the characters.
    String body = whatsapp(from, "wamid." + UUID.randomUUID(),
        "\"type\":\"text\",\"text\":{\"body\":\"caf\\u00e9 \\ud83d\\ude00\"}");

    assertThat(postSigned("/webhooks/whatsapp", body).statusCode()).isEqualTo(200);
    assertThat(timeline("whatsapp:" + from).getJsonObject(0).getString("content")).isEqualTo("café 😀");
  }

  @Test
  void aValidSignatureIsAnsweredReceivedWhateverTheContent() {
    long unsupported = stats().getJsonObject("ingest").getLong("unsupported");
    long unparseable = stats().getJsonObject("ingest").getLong("unparseable");

    assertThat(postSigned("/webhooks/whatsapp", "not json at all").statusCode()).isEqualTo(200);
    assertThat(postSigned("/webhooks/whatsapp", "{\"object\":\"instagram\"}").statusCode()).isEqualTo(200);
    assertThat(postSigned("/webhooks/messenger", "{\"object\":\"page\",\"entry\":[{\"id\":\"p\",\"messaging\":"
        + "[{\"sender\":{\"id\":\"1\"},\"optin\":{}}]}]}").statusCode()).isEqualTo(200);

    JsonObject ingest = stats().getJsonObject("ingest");
    assertThat(ingest.getLong("unparseable")).isEqualTo(unparseable + 1);
    assertThat(ingest.getLong("unsupported")).isGreaterThanOrEqualTo(unsupported + 2);
  }

  @Test
  void theDefaultSecretCannotSpeakForAnAccountWithItsOwn() {
    String from = customer();
    String body = whatsapp(from, "wamid." + UUID.randomUUID(), "\"type\":\"text\",\"text\":{\"body\":\"hi\"}")
        .replace("106540352242922", OWN_ACCOUNT);

    assertThat(postSigned("/webhooks/whatsapp", body).statusCode()).isEqualTo(200);
    assertThat(timeline("whatsapp:" + from)).isEmpty();
    assertThat(postMeta("/webhooks/whatsapp", body, Signatures.meta("its-own-secret", Buffer.buffer(body)))
        .statusCode()).isEqualTo(200);
    assertThat(timeline("whatsapp:" + from)).hasSize(1);
  }

  // ---- normalisation ----

  @Test
  void everyWhatsAppMessageTypeIsNormalised() {
    String from = customer();
    String[] parts = {
        "\"type\":\"image\",\"image\":{\"id\":\"m1\",\"mime_type\":\"image/jpeg\",\"sha256\":\"x\",\"caption\":\"look\"}",
        "\"type\":\"audio\",\"audio\":{\"id\":\"m2\",\"mime_type\":\"audio/ogg\",\"voice\":true}",
        "\"type\":\"document\",\"document\":{\"id\":\"m3\",\"filename\":\"a.pdf\",\"mime_type\":\"application/pdf\"}",
        "\"type\":\"location\",\"location\":{\"latitude\":1.5,\"longitude\":2.5,\"name\":\"Home\",\"address\":\"St\"}",
        "\"type\":\"interactive\",\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"b\",\"title\":\"Yes\"}}",
        "\"type\":\"interactive\",\"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"l\",\"title\":\"Plan B\","
            + "\"description\":\"d\"}}",
        "\"type\":\"button\",\"button\":{\"payload\":\"P\",\"text\":\"Stop\"}",
        "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.X\",\"emoji\":\"👍\"}",
        "\"type\":\"unsupported\",\"errors\":[{\"code\":131051,\"title\":\"Message type unknown\"}]"};
    String[] types = {"image", "audio", "document", "location", "interactive", "interactive", "button", "reaction",
        "unsupported"};
    String[] texts = {"look", null, null, "Home", "Yes", "Plan B", "Stop", "👍", null};
    for (String part : parts) {
      assertThat(postSigned("/webhooks/whatsapp", whatsapp(from, "wamid." + UUID.randomUUID(), part)).statusCode())
          .isEqualTo(200);
    }

    JsonArray messages = timeline("whatsapp:" + from);
    assertThat(messages).hasSize(parts.length);
    for (int i = 0; i < parts.length; i++) {
      JsonObject normalised = messages.getJsonObject(i).getJsonObject("media");
      assertThat(normalised.getString("type")).as(parts[i]).isEqualTo(types[i]);
      assertThat(normalised.getString("text")).as(parts[i]).isEqualTo(texts[i]);
      assertThat(normalised.getString("conversation_key")).isEqualTo("whatsapp:" + from);
      assertThat(normalised.getString("timestamp")).isEqualTo("2025-06-08T20:59:43Z");
    }
    assertThat(messages.getJsonObject(3).getJsonObject("media").getJsonObject("content").getDouble("latitude"))
        .isEqualTo(1.5);
  }

  @Test
  void statusesNeverMoveBackwards() {
    String id = "wamid.sent-" + UUID.randomUUID();
    java.util.function.Function<String, String> status = s -> "{\"object\":\"whatsapp_business_account\",\"entry\":"
        + "[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},"
        + "\"statuses\":[{\"id\":\"" + id + "\",\"status\":\"" + s + "\",\"timestamp\":\"1749416390\","
        + "\"recipient_id\":\"1650\"}]}}]}]}";
    JsonObject before = stats().getJsonObject("ingest");

    postSigned("/webhooks/whatsapp", status.apply("sent"));
    postSigned("/webhooks/whatsapp", status.apply("read"));
    postSigned("/webhooks/whatsapp", status.apply("delivered"));
    postSigned("/webhooks/whatsapp", status.apply("read"));

    JsonObject after = stats().getJsonObject("ingest");
    assertThat(after.getLong("statuses") - before.getLong("statuses")).isEqualTo(2);
    assertThat(after.getLong("stale_statuses") - before.getLong("stale_statuses")).isEqualTo(2);
  }

  @Test
  void statusesMoveTheSentMessageForwardInTheTimeline() {
    String phone = customer();
    String wamid = "wamid.out-" + UUID.randomUUID();
    postSigned("/webhook", whatsapp(phone, "wamid." + UUID.randomUUID(), "\"type\":\"text\",\"text\":{\"body\":\"hi\"}"));
    send("sendOperatorMessage", baton.client.post("/api/v1/operator-message").putHeader("Content-Type",
        "application/json"), new JsonObject().put("phone", phone).put("message", "On it").put("messageId", wamid)
        .toBuffer());
    java.util.function.Function<String, String> status = s -> "{\"object\":\"whatsapp_business_account\",\"entry\":"
        + "[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},"
        + "\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + s + "\",\"timestamp\":\"1749416390\","
        + "\"recipient_id\":\"" + phone + "\"}]}}]}]}";

    postSigned("/webhooks/whatsapp", status.apply("read"));
    postSigned("/webhooks/whatsapp", status.apply("delivered"));

    JsonObject sent = timeline("whatsapp:" + phone).getJsonObject(1);
    assertThat(sent.getString("message_id")).isEqualTo(wamid);
    assertThat(sent.getString("delivery_status")).isEqualTo("read");
  }

  @Test
  void messengerEchoesAreDroppedAndStandbyIsKept() {
    String psid = "psid-" + UUID.randomUUID();
    String body = "{\"object\":\"page\",\"entry\":[{\"id\":\"page-1\",\"time\":1749416383000,"
        + "\"messaging\":[{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"page-1\"},\"timestamp\":1749416383000,"
        + "\"message\":{\"mid\":\"m-" + UUID.randomUUID() + "\",\"text\":\"hello\"}},"
        + "{\"sender\":{\"id\":\"page-1\"},\"recipient\":{\"id\":\"" + psid + "\"},\"timestamp\":1749416384000,"
        + "\"message\":{\"mid\":\"m-" + UUID.randomUUID() + "\",\"text\":\"our reply\",\"is_echo\":true,\"app_id\":1}},"
        + "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"page-1\"},\"timestamp\":1749416385000,"
        + "\"message\":{\"mid\":\"m-" + UUID.randomUUID() + "\",\"text\":\"Blue\",\"quick_reply\":{\"payload\":\"BLUE\"}}},"
        + "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"page-1\"},\"timestamp\":1749416386000,"
        + "\"postback\":{\"mid\":\"m-" + UUID.randomUUID() + "\",\"title\":\"Start\",\"payload\":\"GET_STARTED\"}}],"
        + "\"standby\":[{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"page-1\"},\"timestamp\":1749416387000,"
        + "\"message\":{\"mid\":\"m-" + UUID.randomUUID() + "\",\"attachments\":[{\"type\":\"image\",\"payload\":"
        + "{\"url\":\"https://example.com/i.jpg\"}}]}}]}]}";
    long echoes = stats().getJsonObject("ingest").getLong("echoes");

    assertThat(postSigned("/webhooks/messenger", body).statusCode()).isEqualTo(200);

    JsonArray messages = timeline("messenger:" + psid);
    assertThat(messages).extracting(m -> ((JsonObject) m).getJsonObject("media").getString("type"))
        .containsExactly("text", "quick_reply", "postback", "image");
    assertThat(messages.getJsonObject(3).getJsonObject("media").getBoolean("standby")).isTrue();
    assertThat(messages.getJsonObject(0).getJsonObject("media").getBoolean("standby")).isFalse();
    assertThat(stats().getJsonObject("ingest").getLong("echoes")).isEqualTo(echoes + 1);
  }

  @Test
  void theXVectorIsReceivedAndOurOwnDmsAreDropped() {
    HttpResponse<Buffer> vector = send("receiveTwitterWebhook", baton.client.post("/webhooks/twitter")
        .putHeader("Content-Type", "application/json")
        .putHeader("x-twitter-webhooks-signature", Vectors.X_SIGNATURE), Buffer.buffer(Vectors.X_BODY));
    String echo = Vectors.X_BODY.replace("\"sender_id\":\"3001969357\"", "\"sender_id\":\"4337869213\"")
        .replace("954491830116155396", "954491830116155397");
    HttpResponse<Buffer> unsigned = send("receiveTwitterWebhook", baton.client.post("/webhooks/twitter")
        .putHeader("Content-Type", "application/json"), Buffer.buffer(Vectors.X_BODY));

    assertThat(vector.statusCode()).isEqualTo(200);
    assertThat(postTwitter(echo).statusCode()).isEqualTo(200);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    JsonArray messages = timeline("twitter:3001969357");
    assertThat(messages).hasSize(1);
    assertThat(messages.getJsonObject(0).getString("content")).isEqualTo("Hello World!");
    assertThat(timeline("twitter:4337869213")).isEmpty();
  }

  @Test
  void aThousandUpdatesInOnePostOverTheApiLimit() {
    String from = customer();
    StringBuilder messages = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      messages.append(i == 0 ? "" : ",").append("{\"from\":\"").append(from).append("\",\"id\":\"wamid.batch-")
          .append(UUID.randomUUID()).append("\",\"timestamp\":\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"")
          .append("x".repeat(300)).append("\"}}");
    }
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
        + "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},\"messages\":[" + messages + "]}}]}]}";
    assertThat(body.length()).isGreaterThan(262_144);

    assertThat(postSigned("/webhooks/whatsapp", body).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> page = Await.result(baton.client
        .get("/api/v1/conversations/whatsapp:" + from + "/messages?page_size=1").send());
    assertThat(page.bodyAsJsonObject().getLong("total_count")).isEqualTo(1000);
    HttpResponse<Buffer> api = Await.result(baton.client.post("/api/v1/check")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
    assertThat(api.statusCode()).isEqualTo(413);
  }

  // ---- chatbot ----

  @Test
  void aChatbotEscalationCreatesAHandoff() {
    String session = "chat_session_" + UUID.randomUUID();
    JsonObject body = new JsonObject()
        .put("session_id", session)
        .put("customer_email", "user@example.com")
        .put("customer_name", "Jane Smith")
        .put("subject", "Account locked")
        .put("initial_message", "I've tried resetting my password 3 times but my account is still locked")
        .put("priority", "high")
        .put("tags", new JsonArray().add("account_access"));

    HttpResponse<Buffer> wrong = send("chatbotHandoff", baton.client.post("/webhooks/chatbot")
        .putHeader("Content-Type", "application/json").putHeader("X-Chatbot-Secret", "nope"), body.toBuffer());
    HttpResponse<Buffer> ok = send("chatbotHandoff", baton.client.post("/webhooks/chatbot")
        .putHeader("Content-Type", "application/json").putHeader("X-Chatbot-Secret", CHATBOT_SECRET), body.toBuffer());

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonObject answer = ok.bodyAsJsonObject();
    assertThat(answer.getBoolean("success")).isTrue();
    String handoffId = answer.getString("handoff_id");
    assertThat(handoffId).startsWith("ho-");
    assertThat(answer.getString("message")).endsWith("An agent will respond shortly.");
    JsonObject handoff = Await.result(baton.client.get("/api/v1/handoffs/" + handoffId).send()).bodyAsJsonObject();
    assertThat(handoff.getString("conversation_id")).isEqualTo("chatbot:" + session);
    assertThat(handoff.getString("priority")).isIn("HIGH", "URGENT", "CRITICAL");
    assertThat(handoff.getJsonObject("metadata").getString("customer_email")).isEqualTo("user@example.com");
  }

  @Test
  void theSeedsPhoneKeyedFlowWorksOnAWhatsAppConversation() {
    String phone = customer();
    assertThat(postSigned("/webhook", whatsapp(phone, "wamid." + UUID.randomUUID(),
        "\"type\":\"text\",\"text\":{\"body\":\"Hello\"}")).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> takeover = send("takeover", baton.client.post("/api/v1/takeover").putHeader("Content-Type", "application/json"),
        new JsonObject().put("phone", phone).toBuffer());
    HttpResponse<Buffer> message = send("sendOperatorMessage", baton.client.post("/api/v1/operator-message").putHeader("Content-Type", "application/json"),
        new JsonObject().put("phone", "+" + phone).put("message", "Hello! How can I help you?").toBuffer());
    HttpResponse<Buffer> handback = send("handback", baton.client.post("/api/v1/handback").putHeader("Content-Type", "application/json"),
        new JsonObject().put("phone", phone).toBuffer());

    assertThat(takeover.statusCode()).isEqualTo(200);
    assertThat(takeover.bodyAsJsonObject().getString("conversation_id")).isEqualTo("whatsapp:" + phone);
    assertThat(message.statusCode()).isEqualTo(200);
    assertThat(handback.bodyAsJsonObject().getString("status")).isEqualTo("handback_complete");
    assertThat(timeline("whatsapp:" + phone)).extracting(m -> ((JsonObject) m).getString("message_owner"))
        .containsExactly("user", "agent");
  }

  @Test
  void statsHaveTheSeedsShape() {
    JsonObject stats = stats();

    assertThat(stats.getJsonObject("buffer").fieldNames()).contains("active_buffers", "total_buffered");
    assertThat(stats.getJsonObject("deduplication").getString("cache_type")).isIn("redis", "memory");
    assertThat(stats.getString("environment")).isEqualTo("development");
  }
}
