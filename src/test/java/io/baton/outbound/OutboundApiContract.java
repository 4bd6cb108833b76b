package io.baton.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.Event;
import io.baton.events.EventTypes;
import io.baton.handoff.Speaker;
import io.baton.ingest.Signatures;
import io.baton.operator.ConversationMessage;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.baton.support.FakeChannels;
import io.baton.support.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Agent messages out through fake WhatsApp, Messenger and X APIs (real HTTP servers that check path,
 * token and body), end to end: customer webhook → agent message → the provider receives it → status
 * webhook → delivered. Messenger's windows, a provider outage behind the breaker, a refused request.
 * Time is a clock the test moves: windows and retry backoff pass without sleeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
public abstract class OutboundApiContract {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  static final String APP_SECRET = "outbound-app-secret";
  static final String X_SECRET = "outbound-consumer-secret";
  static final String PHONE_NUMBER_ID = "106540352242922";
  static final String PAGE_ID = "445566778899";
  static final String X_ACCOUNT = "4337869213";
  private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

  protected final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  protected BatonInstance baton;
  protected FakeChannels channels;
  private Vertx fakes;
  private ContractCheck contract;

  protected abstract BatonInstance startBaton(Map<String, String> env, MutableClock clock);

  protected Map<String, String> env() {
    Map<String, String> env = new HashMap<>(channels.env());
    env.put("BATON_CHANNELS_WHATSAPP_APP_SECRET", APP_SECRET);
    env.put("BATON_CHANNELS_MESSENGER_APP_SECRET", APP_SECRET);
    env.put("BATON_CHANNELS_TWITTER_CONSUMER_SECRET", X_SECRET);
    // Messenger tokens per page only: a page not listed has none.
    env.put("BATON_OUTBOUND_MESSENGER_ACCESS_TOKEN", "");
    env.put("BATON_OUTBOUND_MESSENGER_PAGES", new JsonObject().put(PAGE_ID, FakeChannels.PAGE_TOKEN).encode());
    // Phone-keyed conversations (no webhook named the account) send from this one.
    env.put("BATON_OUTBOUND_WHATSAPP_DEFAULT_ACCOUNT", PHONE_NUMBER_ID);
    env.put("BATON_OUTBOUND_BREAKER_FAILURE_THRESHOLD", "2");
    // Open long enough for the test to see a third attempt meet it; short enough to wait out.
    env.put("BATON_OUTBOUND_BREAKER_RESET_TIMEOUT_MS", "2000");
    // A lease (twice the call timeout and 5 s) far longer than the clock moves while a send is in flight.
    env.put("BATON_OUTBOUND_BREAKER_CALL_TIMEOUT_MS", "10000");
    env.put("BATON_OUTBOUND_RETRY_POLL_MS", "50");
    env.put("BATON_OUTBOUND_RETRY_MAX_DELAY_MS", "5000");
    // Sends meeting the open breaker use attempts while the test moves the clock fast; none may run out.
    env.put("BATON_OUTBOUND_RETRY_MAX_ATTEMPTS", "50");
    return env;
  }

  @BeforeAll
  void start() {
    fakes = Vertx.vertx();
    channels = FakeChannels.start(fakes);
    baton = startBaton(env(), clock);
    contract = new ContractCheck(baton.vertx);
  }

  @AfterAll
  void stop() {
    baton.close();
    channels.close();
    Await.result(fakes.close());
  }

  // ---- helpers ----

  static String id() {
    return String.valueOf(1_000_000_000L + IDS.incrementAndGet());
  }

  private void webhook(String path, String body) {
    String operationId = switch (path) {
      case "/webhooks/messenger" -> "receiveMessengerWebhook";
      case "/webhooks/twitter" -> "receiveTwitterWebhook";
      default -> "receiveWhatsAppWebhook";
    };
    var request = baton.client.post(path).putHeader("Content-Type", "application/json");
    if (path.endsWith("twitter")) {
      request.putHeader("x-twitter-webhooks-signature", Signatures.twitter(X_SECRET, body.getBytes()));
    } else {
      request.putHeader("X-Hub-Signature-256", Signatures.meta(APP_SECRET, Buffer.buffer(body)));
    }
    HttpResponse<Buffer> response = contract.validate(operationId, Await.result(request.sendBuffer(Buffer.buffer(body))));
    assertThat(response.statusCode()).isEqualTo(200);
  }

  static String whatsappMessage(String phone) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"},"
        + "\"contacts\":[{\"profile\":{\"name\":\"Ana\"},\"wa_id\":\"" + phone + "\"}],\"messages\":[{\"from\":\""
        + phone + "\",\"id\":\"wamid.IN" + id() + "\",\"timestamp\":\"1749416383\",\"type\":\"text\","
        + "\"text\":{\"body\":\"I need a person\"}}]}}]}]}";
  }

  static String whatsappStatus(String phone, String wamid, String status) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"},"
        + "\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"1749416390\","
        + "\"recipient_id\":\"" + phone + "\"}]}}]}]}";
  }

  static String messengerMessage(String psid) {
    return new JsonObject().put("object", "page").put("entry", new JsonArray().add(new JsonObject()
        .put("id", PAGE_ID).put("time", 1749416383000L).put("messaging", new JsonArray().add(new JsonObject()
            .put("sender", new JsonObject().put("id", psid)).put("recipient", new JsonObject().put("id", PAGE_ID))
            .put("timestamp", 1749416383000L)
            .put("message", new JsonObject().put("mid", "m_IN" + id()).put("text", "hello?")))))).encode();
  }

  static String messengerDelivery(String psid, String mid) {
    return new JsonObject().put("object", "page").put("entry", new JsonArray().add(new JsonObject()
        .put("id", PAGE_ID).put("time", 1749416393000L).put("messaging", new JsonArray().add(new JsonObject()
            .put("sender", new JsonObject().put("id", psid)).put("recipient", new JsonObject().put("id", PAGE_ID))
            .put("timestamp", 1749416393000L)
            .put("delivery", new JsonObject().put("mids", new JsonArray().add(mid)).put("watermark", 1749416393000L))))))
        .encode();
  }

  static String messengerRead(String psid, Instant watermark) {
    return new JsonObject().put("object", "page").put("entry", new JsonArray().add(new JsonObject()
        .put("id", PAGE_ID).put("time", watermark.toEpochMilli()).put("messaging", new JsonArray().add(new JsonObject()
            .put("sender", new JsonObject().put("id", psid)).put("recipient", new JsonObject().put("id", PAGE_ID))
            .put("timestamp", watermark.toEpochMilli())
            .put("read", new JsonObject().put("watermark", watermark.toEpochMilli())))))).encode();
  }

  static String xMessage(String sender) {
    return new JsonObject().put("for_user_id", X_ACCOUNT).put("direct_message_events", new JsonArray().add(
        new JsonObject().put("type", "message_create").put("id", id()).put("created_timestamp", "1516403560557")
            .put("message_create", new JsonObject()
                .put("target", new JsonObject().put("recipient_id", X_ACCOUNT))
                .put("sender_id", sender)
                .put("message_data", new JsonObject().put("text", "Hello World!"))))).encode();
  }

  private HttpResponse<Buffer> operatorMessage(JsonObject body) {
    return contract.validate("sendOperatorMessage",
        Await.result(baton.client.post("/api/v1/operator-message").sendJsonObject(body)));
  }

  private HttpResponse<Buffer> addMessage(String conversationId, JsonObject body) {
    return contract.validate("addConversationMessage",
        Await.result(baton.client.post("/api/v1/conversations/" + conversationId + "/messages").sendJsonObject(body)));
  }

  protected JsonArray timeline(String conversationId) {
    return contract.validate("listConversationMessages",
            Await.result(baton.client.get("/api/v1/conversations/" + conversationId + "/messages?page_size=100").send()))
        .bodyAsJsonObject().getJsonArray("messages");
  }

  protected JsonObject message(String conversationId, String messageId) {
    return timeline(conversationId).stream().map(JsonObject.class::cast)
        .filter(m -> messageId.equals(m.getString("message_id"))).findFirst().orElseThrow();
  }

  private JsonObject stats() {
    return contract.validate("stats", Await.result(baton.client.get("/stats").send())).bodyAsJsonObject();
  }

  protected static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /**
   * Waits for {@code done}, moving the clock past the longest backoff (5 s) every 400 ms so that due
   * retries run; slowly enough that no lease (25 s) runs out under a send that is in flight.
   */
  static void retryUntil(String what, MutableClock clock, BooleanSupplier done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    long nextAdvance = System.nanoTime();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      if (System.nanoTime() >= nextAdvance) {
        clock.advance(Duration.ofSeconds(6));
        nextAdvance = System.nanoTime() + Duration.ofMillis(400).toNanos();
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private List<FakeChannels.Received> sentTo(String channel, String recipient) {
    return channels.received(channel).stream().filter(r -> switch (channel) {
      case "whatsapp" -> recipient.equals(r.body().getString("to"));
      case "messenger" -> recipient.equals(r.body().getJsonObject("recipient").getString("id"));
      default -> r.path().contains("/with/" + recipient + "/");
    }).toList();
  }

  // ---- end to end, per channel ----

  @Test
  void whatsappTextGoesOutAndFollowsTheStatusWebhooks() {
    String phone = id();
    webhook("/webhooks/whatsapp", whatsappMessage(phone));
    JsonObject answer = operatorMessage(new JsonObject().put("phone", "+" + phone).put("message", "Hi, Ana here"))
        .bodyAsJsonObject();
    assertThat(answer.getString("message")).isEqualTo("Message queued for processing");
    String messageId = answer.getString("message_id");
    String conversation = "whatsapp:" + phone;

    eventually("WhatsApp receives the message", () -> !sentTo("whatsapp", phone).isEmpty());
    FakeChannels.Received call = sentTo("whatsapp", phone).getFirst();
    assertThat(call.path()).isEqualTo("/" + FakeChannels.VERSION + "/" + PHONE_NUMBER_ID + "/messages");
    assertThat(call.headers().get("authorization")).isEqualTo("Bearer " + FakeChannels.WHATSAPP_TOKEN);
    assertThat(call.body().getString("type")).isEqualTo("text");
    assertThat(call.body().getJsonObject("text").getString("body")).isEqualTo("Hi, Ana here");
    assertThat(call.body().getString("recipient_type")).isEqualTo("individual");

    eventually("the message is sent", () -> "sent".equals(message(conversation, messageId).getString("delivery_status")));
    assertThat(message(conversation, messageId).getString("provider_message_id")).isEqualTo(call.providerId());

    webhook("/webhooks/whatsapp", whatsappStatus(phone, call.providerId(), "delivered"));
    assertThat(message(conversation, messageId).getString("delivery_status")).isEqualTo("delivered");
    webhook("/webhooks/whatsapp", whatsappStatus(phone, call.providerId(), "read"));
    // A late "delivered" never moves it back.
    webhook("/webhooks/whatsapp", whatsappStatus(phone, call.providerId(), "sent"));
    assertThat(message(conversation, messageId).getString("delivery_status")).isEqualTo("read");
    assertThat(sentTo("whatsapp", phone)).hasSize(1);
  }

  @Test
  void aStatusWebhookThatComesBeforeTheSendsAnswerIsKeptAndApplied() {
    String phone = id();
    String conversation = "whatsapp:" + phone;
    webhook("/webhooks/whatsapp", whatsappMessage(phone));
    AtomicInteger statusAnswer = new AtomicInteger();
    channels.beforeAnsweringWhatsApp(phone, wamid -> {
      String status = whatsappStatus(phone, wamid, "delivered");
      return baton.client.post("/webhooks/whatsapp").putHeader("Content-Type", "application/json")
          .putHeader("X-Hub-Signature-256", Signatures.meta(APP_SECRET, Buffer.buffer(status)))
          .sendBuffer(Buffer.buffer(status)).onSuccess(response -> statusAnswer.set(response.statusCode()));
    });
    String messageId = operatorMessage(new JsonObject().put("phone", phone).put("message", "Quick one"))
        .bodyAsJsonObject().getString("message_id");

    eventually("WhatsApp takes the message", () -> !sentTo("whatsapp", phone).isEmpty());
    // Baton had answered the status webhook before WhatsApp answered the send.
    assertThat(statusAnswer.get()).isEqualTo(200);
    String wamid = sentTo("whatsapp", phone).getFirst().providerId();
    eventually("the message is delivered", () -> "delivered".equals(message(conversation, messageId)
        .getString("delivery_status")));
    assertThat(message(conversation, messageId).getString("provider_message_id")).isEqualTo(wamid);
    // The provider's next status moves it on as usual.
    webhook("/webhooks/whatsapp", whatsappStatus(phone, wamid, "read"));
    assertThat(message(conversation, messageId).getString("delivery_status")).isEqualTo("read");
  }

  @Test
  void whatsappMediaGoesOutByIdWithItsCaption() {
    String phone = id();
    webhook("/webhooks/whatsapp", whatsappMessage(phone));
    operatorMessage(new JsonObject().put("phone", phone).put("message", "Your invoice")
        .put("media", new JsonObject().put("id", "1234567890").put("mimeType", "image/jpeg")));
    eventually("WhatsApp receives the image", () -> !sentTo("whatsapp", phone).isEmpty());
    JsonObject body = sentTo("whatsapp", phone).getFirst().body();
    assertThat(body.getString("type")).isEqualTo("image");
    assertThat(body.getJsonObject("image")).isEqualTo(new JsonObject().put("id", "1234567890")
        .put("caption", "Your invoice"));
  }

  @Test
  void messengerAgentMessageGoesOutAsAResponseAndIsDelivered() {
    String psid = id();
    webhook("/webhooks/messenger", messengerMessage(psid));
    String conversation = "messenger:" + psid;
    HttpResponse<Buffer> added = addMessage(conversation, new JsonObject().put("content", "How can I help?")
        .put("message_owner", "agent").put("agent_id", "agent-7"));
    assertThat(added.statusCode()).isEqualTo(200);
    String messageId = added.bodyAsJsonObject().getString("message_id");
    assertThat(added.bodyAsJsonObject().getString("delivery_status")).isEqualTo("queued");

    eventually("Messenger receives the message", () -> !sentTo("messenger", psid).isEmpty());
    FakeChannels.Received call = sentTo("messenger", psid).getFirst();
    assertThat(call.path()).isEqualTo("/" + FakeChannels.VERSION + "/me/messages");
    assertThat(call.query()).isEqualTo("access_token=" + FakeChannels.PAGE_TOKEN);
    assertThat(call.body().getString("messaging_type")).isEqualTo("RESPONSE");
    assertThat(call.body().containsKey("tag")).isFalse();
    assertThat(call.body().getJsonObject("message").getString("text")).isEqualTo("How can I help?");

    eventually("the message is sent", () -> call.providerId().equals(message(conversation, messageId)
        .getString("provider_message_id")));
    webhook("/webhooks/messenger", messengerDelivery(psid, call.providerId()));
    assertThat(message(conversation, messageId).getString("delivery_status")).isEqualTo("delivered");

    // A read watermark covers every message sent up to it, and none after.
    Instant watermark = clock.instant();
    clock.advance(Duration.ofSeconds(5));
    String later = addMessage(conversation, new JsonObject().put("content", "One more thing")
        .put("message_owner", "agent").put("agent_id", "agent-7")).bodyAsJsonObject().getString("message_id");
    eventually("the later message is sent", () -> "sent".equals(message(conversation, later)
        .getString("delivery_status")));
    webhook("/webhooks/messenger", messengerRead(psid, watermark));
    assertThat(message(conversation, messageId).getString("delivery_status")).isEqualTo("read");
    assertThat(message(conversation, later).getString("delivery_status")).isEqualTo("sent");
  }

  @Test
  void xDirectMessageGoesOutWithTheDmEventId() {
    String sender = id();
    webhook("/webhooks/twitter", xMessage(sender));
    String conversation = "twitter:" + sender;
    String messageId = addMessage(conversation, new JsonObject().put("content", "We are on it")
        .put("message_owner", "agent").put("agent_id", "agent-7")).bodyAsJsonObject().getString("message_id");

    eventually("X receives the DM", () -> !sentTo("twitter", sender).isEmpty());
    FakeChannels.Received call = sentTo("twitter", sender).getFirst();
    assertThat(call.path()).isEqualTo("/2/dm_conversations/with/" + sender + "/messages");
    assertThat(call.headers().get("authorization")).isEqualTo("Bearer " + FakeChannels.X_TOKEN);
    assertThat(call.body()).isEqualTo(new JsonObject().put("text", "We are on it"));
    eventually("the DM is sent", () -> "sent".equals(message(conversation, messageId).getString("delivery_status")));
    assertThat(message(conversation, messageId).getString("provider_message_id")).isEqualTo(call.providerId());
  }

  // ---- Messenger's windows ----

  @Test
  void messengerWindowsDecideTheMessagingTypeOrRefuse() {
    String psid = id();
    String conversation = "messenger:" + psid;
    webhook("/webhooks/messenger", messengerMessage(psid));

    clock.advance(Duration.ofHours(25));
    String tagged = addMessage(conversation, new JsonObject().put("content", "Still there?")
        .put("message_owner", "agent").put("agent_id", "agent-7")).bodyAsJsonObject().getString("message_id");
    eventually("the tagged message goes out", () -> !sentTo("messenger", psid).isEmpty());
    JsonObject body = sentTo("messenger", psid).getFirst().body();
    assertThat(body.getString("messaging_type")).isEqualTo("MESSAGE_TAG");
    assertThat(body.getString("tag")).isEqualTo("HUMAN_AGENT");
    eventually("it is sent", () -> "sent".equals(message(conversation, tagged).getString("delivery_status")));

    // An automated sender may not use the human agent tag.
    int before = timeline(conversation).size();
    HttpResponse<Buffer> bot = addMessage(conversation, new JsonObject().put("content", "Reminder!")
        .put("message_owner", "ai").put("deliver", true));
    assertThat(bot.statusCode()).isEqualTo(422);
    assertThat(bot.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(bot.bodyAsJsonObject().getString("detail")).contains("25 h").contains("only a human agent");

    clock.advance(Duration.ofDays(7));
    HttpResponse<Buffer> late = addMessage(conversation, new JsonObject().put("content", "Hello again")
        .put("message_owner", "agent").put("agent_id", "agent-7"));
    assertThat(late.statusCode()).isEqualTo(422);
    assertThat(late.bodyAsJsonObject().getString("detail")).contains("7 days");
    assertThat(timeline(conversation)).hasSize(before);
    assertThat(sentTo("messenger", psid)).hasSize(1);

    // The customer writes again: the standard window is open, for an automation too.
    webhook("/webhooks/messenger", messengerMessage(psid));
    HttpResponse<Buffer> reopened = addMessage(conversation, new JsonObject().put("content", "Welcome back")
        .put("message_owner", "ai").put("deliver", true));
    assertThat(reopened.statusCode()).isEqualTo(200);
    eventually("the response goes out", () -> sentTo("messenger", psid).size() == 2);
    assertThat(sentTo("messenger", psid).get(1).body().getString("messaging_type")).isEqualTo("RESPONSE");
  }

  @Test
  void aMessengerPageCannotWriteFirst() {
    HttpResponse<Buffer> refused = addMessage("messenger:" + id(), new JsonObject().put("content", "Hi")
        .put("message_owner", "agent").put("agent_id", "agent-7"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("has not written");
  }

  // ---- WhatsApp's window ----

  @Test
  void whatsappFreeFormMessagesGoOnlyWithin24HoursOfTheCustomersLastMessage() {
    String phone = id();
    String conversation = "whatsapp:" + phone;
    webhook("/webhooks/whatsapp", whatsappMessage(phone));

    clock.advance(Duration.ofHours(23));
    HttpResponse<Buffer> within = operatorMessage(new JsonObject().put("phone", phone).put("message", "Still there?"));
    assertThat(within.statusCode()).isEqualTo(200);
    String sent = within.bodyAsJsonObject().getString("message_id");
    eventually("the message within the window goes out", () -> "sent".equals(message(conversation, sent)
        .getString("delivery_status")));

    clock.advance(Duration.ofHours(2));
    int before = timeline(conversation).size();
    HttpResponse<Buffer> late = operatorMessage(new JsonObject().put("phone", phone).put("message", "Hello?"));
    assertThat(late.statusCode()).isEqualTo(422);
    assertThat(late.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(late.bodyAsJsonObject().getString("detail")).contains("only within 24 h of the customer's last message")
        .contains("25 h ago").contains("template messages").contains("not supported by Baton yet");
    // An automation is held to the same rule, on the conversation route too.
    HttpResponse<Buffer> bot = addMessage(conversation, new JsonObject().put("content", "Reminder!")
        .put("message_owner", "ai").put("deliver", true));
    assertThat(bot.statusCode()).isEqualTo(422);
    assertThat(bot.bodyAsJsonObject().getString("detail")).contains("25 h ago");
    assertThat(timeline(conversation)).hasSize(before);
    assertThat(sentTo("whatsapp", phone)).hasSize(1);

    // The customer writes again: the window is open again.
    webhook("/webhooks/whatsapp", whatsappMessage(phone));
    HttpResponse<Buffer> reopened = operatorMessage(new JsonObject().put("phone", phone).put("message", "Welcome back"));
    assertThat(reopened.statusCode()).isEqualTo(200);
    eventually("the message goes out", () -> sentTo("whatsapp", phone).size() == 2);
    assertThat(sentTo("whatsapp", phone).get(1).body().getJsonObject("text").getString("body")).isEqualTo("Welcome back");
  }

  @Test
  void aWhatsappCustomerWhoNeverWroteIsNotWrittenTo() {
    String phone = id();
    HttpResponse<Buffer> refused = operatorMessage(new JsonObject().put("phone", phone).put("message", "Hello"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("has not written")
        .contains("not supported by Baton yet");
    // Nothing stored: not even the conversation.
    assertThat(Await.result(baton.client.get("/api/v1/conversations/" + phone + "/messages").send()).statusCode())
        .isEqualTo(404);
    assertThat(sentTo("whatsapp", phone)).isEmpty();
  }

  // ---- failures ----

  @Test
  void anOutageOpensTheBreakerAndEveryMessageIsDeliveredOnceLater() {
    List<String> phones = List.of(id(), id(), id());
    phones.forEach(phone -> webhook("/webhooks/whatsapp", whatsappMessage(phone)));
    long retriedBefore = stats().getJsonObject("delivery").getJsonObject("whatsapp").getLong("retried");
    channels.down("whatsapp", 503);
    List<String> ids = new java.util.ArrayList<>();
    try {
      // One after the other, each attempt over before the next: two failures open the breaker.
      for (String phone : phones) {
        ids.add(operatorMessage(new JsonObject().put("phone", phone).put("message", "Sorry for the wait " + phone))
            .bodyAsJsonObject().getString("message_id"));
        long expected = retriedBefore + ids.size();
        eventually("the attempt fails", () -> stats().getJsonObject("delivery").getJsonObject("whatsapp")
            .getLong("retried") >= expected);
      }
      // The third attempt met the open breaker and never reached WhatsApp.
      assertThat(phones.stream().mapToInt(phone -> sentTo("whatsapp", phone).size()).sum()).isEqualTo(2);
      assertThat(stats().getJsonObject("delivery").getJsonObject("whatsapp").getString("breaker")).isEqualTo("open");
      for (int i = 0; i < phones.size(); i++) {
        assertThat(message("whatsapp:" + phones.get(i), ids.get(i)).getString("delivery_status")).isEqualTo("queued");
      }
    } finally {
      channels.up("whatsapp");
    }

    retryUntil("every message is delivered", clock, () -> {
      for (int i = 0; i < phones.size(); i++) {
        if (!"sent".equals(message("whatsapp:" + phones.get(i), ids.get(i)).getString("delivery_status"))) {
          return false;
        }
      }
      return true;
    });
    for (String phone : phones) {
      assertThat(sentTo("whatsapp", phone).stream().filter(FakeChannels.Received::accepted)).hasSize(1);
    }
    assertThat(stats().getJsonObject("delivery").getJsonObject("whatsapp").getString("breaker")).isEqualTo("closed");
    // The breaker's changes are in the event log, where agents' streams see them.
    eventually("the breaker's changes are logged", () -> events().stream()
        .filter(e -> e.type().equals(EventTypes.CHANNEL_BREAKER_CHANGED))
        .map(e -> e.data().getString("channel") + ":" + e.data().getString("state")).toList()
        .containsAll(List.of("whatsapp:open", "whatsapp:closed")));
  }

  private List<Event> events() {
    return Await.result(baton.app.storage().eventFeed().read(0, Long.MAX_VALUE, null, 100_000));
  }

  // ---- durable state: what a crash leaves behind ----

  @Test
  void aSendLeftByAStoppedInstanceGoesOutWhenDue() {
    String phone = id();
    webhook("/webhooks/whatsapp", whatsappMessage(phone));
    String conversation = "whatsapp:" + phone;
    String messageId = "op-" + UUID.randomUUID();
    // As an instance leaves it when it stops after storing the message and before its first attempt.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    OutboundDelivery left = new OutboundDelivery(conversation, messageId, "whatsapp", PHONE_NUMBER_ID, phone,
        new JsonObject().put("text", "left behind"), OutboundDelivery.RETRYING, 0, now.plusSeconds(10), null);
    assertThat(Await.result(baton.app.storage().outbound().enqueue(left, now))).isTrue();
    Await.result(baton.app.storage().operator().addMessage(T, new ConversationMessage(messageId, conversation,
        Speaker.AGENT, "left behind", "agent-7", null, ConversationMessage.QUEUED, now), phone));

    retryUntil("the send goes out", clock, () -> "sent".equals(message(conversation, messageId)
        .getString("delivery_status")));
    assertThat(sentTo("whatsapp", phone)).singleElement()
        .satisfies(call -> assertThat(call.body().getJsonObject("text").getString("body")).isEqualTo("left behind"));
  }

  @Test
  void aSendWhoseMessageWasNeverStoredIsDroppedUnsent() {
    String phone = id();
    String conversation = "whatsapp:" + phone;
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    OutboundDelivery orphan = new OutboundDelivery(conversation, "never-stored", "whatsapp", PHONE_NUMBER_ID, phone,
        new JsonObject().put("text", "lost"), OutboundDelivery.RETRYING, 0, now.plusSeconds(10), null);
    assertThat(Await.result(baton.app.storage().outbound().enqueue(orphan, now))).isTrue();
    retryUntil("the send is dropped", clock, () -> Await.result(baton.app.storage().outbound()
        .get(T, conversation, "never-stored")).isEmpty());
    assertThat(sentTo("whatsapp", phone)).isEmpty();
  }

  @Test
  void aRepeatedOperatorMessageIsSentOnce() {
    String phone = id();
    webhook("/webhooks/whatsapp", whatsappMessage(phone));
    JsonObject body = new JsonObject().put("phone", phone).put("message", "once").put("messageId", "op-" + id());
    String first = operatorMessage(body).bodyAsJsonObject().getString("message_id");
    eventually("the message is sent", () -> "sent".equals(message("whatsapp:" + phone, first)
        .getString("delivery_status")));
    assertThat(operatorMessage(body).bodyAsJsonObject().getString("message_id")).isEqualTo(first);
    // Past the hold of a send the repeat may have written: a poll would send it now.
    clock.advance(Duration.ofMinutes(5));
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(sentTo("whatsapp", phone)).hasSize(1);
    assertThat(Await.result(baton.app.storage().outbound().get(T, "whatsapp:" + phone, first))).isEmpty();
  }

  @Test
  void aRequestTheProviderRefusesFailsAtOnceWithoutRetryOrBreaker() {
    String phone = id();
    webhook("/webhooks/whatsapp", whatsappMessage(phone));
    long failedBefore = stats().getJsonObject("delivery").getJsonObject("whatsapp").getLong("failed");
    channels.failNext("whatsapp", 400, "Recipient phone number not in allowed list");
    String messageId = operatorMessage(new JsonObject().put("phone", phone).put("message", "hello"))
        .bodyAsJsonObject().getString("message_id");
    eventually("the message fails", () -> "failed".equals(message("whatsapp:" + phone, messageId)
        .getString("delivery_status")));
    clock.advance(Duration.ofMinutes(30));
    // Time for any (wrong) retry to have run.
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(sentTo("whatsapp", phone)).hasSize(1);
    JsonObject whatsapp = stats().getJsonObject("delivery").getJsonObject("whatsapp");
    assertThat(whatsapp.getLong("failed")).isEqualTo(failedBefore + 1);
    assertThat(whatsapp.getString("breaker")).isEqualTo("closed");
  }

  @Test
  void aChannelWithoutATokenForTheAccountSendsNothing() {
    // The customer writes to a page of ours that has no token configured.
    String psid = id();
    String body = messengerMessage(psid).replace(PAGE_ID, "111222333");
    webhook("/webhooks/messenger", body);
    HttpResponse<Buffer> added = addMessage("messenger:" + psid, new JsonObject().put("content", "Hi")
        .put("message_owner", "agent").put("agent_id", "agent-7"));
    assertThat(added.statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(5));
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(sentTo("messenger", psid)).isEmpty();
    assertThat(message("messenger:" + psid, added.bodyAsJsonObject().getString("message_id"))
        .getString("delivery_status")).isEqualTo("queued");
  }

  @Test
  void aConversationWithoutAChannelKeepsItsMessageQueued() {
    String conversation = "web-" + UUID.randomUUID();
    HttpResponse<Buffer> added = addMessage(conversation, new JsonObject().put("content", "Hi")
        .put("message_owner", "agent").put("agent_id", "agent-7"));
    assertThat(added.statusCode()).isEqualTo(200);
    assertThat(added.bodyAsJsonObject().getString("delivery_status")).isEqualTo("queued");
  }
}
