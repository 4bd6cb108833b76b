package io.baton.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig;
import io.baton.config.BatonConfig.OutboundConfig;
import io.baton.support.BatonInstance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each channel is sent, for the shapes the end-to-end tests do not cover; and the settings. */
class ChannelRequestsTest {

  private static OutboundDelivery delivery(String channel, JsonObject payload) {
    return new OutboundDelivery("c", "m", channel, "acct", "16505551234", payload, OutboundDelivery.RETRYING, 0,
        Instant.EPOCH, null);
  }

  @Test
  void whatsappSendsMediaByKindAndAudioWithoutCaption() {
    JsonObject audio = WhatsAppSender.request(delivery("whatsapp", new JsonObject().put("text", "listen")
        .put("media", new JsonObject().put("id", "55").put("mimeType", "audio/ogg"))));
    assertThat(audio.getString("type")).isEqualTo("audio");
    assertThat(audio.getJsonObject("audio")).isEqualTo(new JsonObject().put("id", "55"));

    JsonObject document = WhatsAppSender.request(delivery("whatsapp", new JsonObject()
        .put("media", new JsonObject().put("id", "56").put("mimeType", "application/pdf").put("filename", "a.pdf"))));
    assertThat(document.getString("type")).isEqualTo("document");
    assertThat(document.getJsonObject("document")).isEqualTo(new JsonObject().put("id", "56").put("filename", "a.pdf"));
    assertThat(document.getString("to")).isEqualTo("16505551234");
  }

  @Test
  void messengerSendsAnAttachmentByIdAndTheTagOnlyWhenChosen() {
    JsonObject attachment = MessengerSender.request(delivery("messenger", new JsonObject()
        .put("messaging_type", "RESPONSE")
        .put("media", new JsonObject().put("id", "att-1").put("mimeType", "image/png"))));
    assertThat(attachment.containsKey("tag")).isFalse();
    assertThat(attachment.getJsonObject("message")).isEqualTo(new JsonObject().put("attachment", new JsonObject()
        .put("type", "image").put("payload", new JsonObject().put("attachment_id", "att-1"))));

    JsonObject tagged = MessengerSender.request(delivery("messenger", new JsonObject().put("text", "hi")
        .put("messaging_type", "MESSAGE_TAG").put("tag", "HUMAN_AGENT")));
    assertThat(tagged.getString("messaging_type")).isEqualTo("MESSAGE_TAG");
    assertThat(tagged.getString("tag")).isEqualTo("HUMAN_AGENT");
    assertThat(tagged.getJsonObject("recipient")).isEqualTo(new JsonObject().put("id", "16505551234"));
  }

  @Test
  void xSendsMediaAsAnAttachment() {
    JsonObject body = TwitterSender.request(delivery("twitter", new JsonObject().put("text", "see this")
        .put("media", new JsonObject().put("id", "1455952740635586573"))));
    assertThat(body).isEqualTo(new JsonObject().put("text", "see this").put("attachments",
        new JsonArray().add(new JsonObject().put("media_id", "1455952740635586573"))));
  }

  @Test
  void conversationKeysNameTheChannelAndTheCustomer() {
    assertThat(OutboundService.route("whatsapp:16505551234")).hasValue(new OutboundService.Route("whatsapp", "16505551234"));
    assertThat(OutboundService.route("messenger:987")).hasValue(new OutboundService.Route("messenger", "987"));
    assertThat(OutboundService.route("twitter:3001969357")).hasValue(new OutboundService.Route("twitter", "3001969357"));
    assertThat(OutboundService.route("16505551234")).hasValue(new OutboundService.Route("whatsapp", "16505551234"));
    assertThat(OutboundService.route("web-chat-1")).isEmpty();
    assertThat(OutboundService.route("telegram:5")).isEmpty();
  }

  @Test
  void settingsHaveDefaultsAndTokensPerAccount() {
    OutboundConfig shipped = BatonConfig.from(BatonInstance.shippedConfig(), Map.of()).outbound();
    assertThat(shipped.whatsapp().baseUrl()).isEqualTo("https://graph.facebook.com");
    assertThat(shipped.twitter().baseUrl()).isEqualTo("https://api.x.com");
    assertThat(shipped.retry().maxAttempts()).isEqualTo(8);

    OutboundConfig set = BatonConfig.from(BatonInstance.shippedConfig(), Map.of(
        "BATON_OUTBOUND_WHATSAPP_ACCESS_TOKEN", "default-token",
        "BATON_OUTBOUND_WHATSAPP_ACCOUNTS", "{\"106540352242922\":\"own-token\"}",
        "BATON_OUTBOUND_MESSENGER_BASE_URL", "http://127.0.0.1:9999/")).outbound();
    assertThat(set.whatsapp().token("106540352242922")).isEqualTo("own-token");
    assertThat(set.whatsapp().token("other")).isEqualTo("default-token");
    assertThat(set.messenger().baseUrl()).isEqualTo("http://127.0.0.1:9999");
  }
}
