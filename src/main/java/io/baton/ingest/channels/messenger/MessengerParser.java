package io.baton.ingest.channels.messenger;

import static io.baton.ingest.channels.Json.epoch;
import static io.baton.ingest.channels.Json.object;
import static io.baton.ingest.channels.Json.objects;
import static io.baton.ingest.channels.Json.text;

import io.baton.config.BatonConfig.AccountSecrets;
import io.baton.ingest.InboundMessage;
import io.baton.ingest.ParsedWebhook;
import io.baton.ingest.StatusUpdate;
import io.baton.ingest.channels.ChannelParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Messenger Platform: entry[].messaging[] and entry[].standby[] (a thread another app owns: kept,
 * marked standby). Echoes of the page's own sends are never customer input. Accounts by page id.
 */
public final class MessengerParser implements ChannelParser {

  public static final String CHANNEL = "messenger";

  @Override
  public ParsedWebhook parse(JsonObject body, String signingSecret, AccountSecrets secrets, Instant receivedAt) {
    ParsedWebhook parsed = new ParsedWebhook();
    if (!"page".equals(body.getString("object"))) {
      parsed.unsupported++;
      return parsed;
    }
    for (JsonObject entry : objects(body, "entry")) {
      String page = text(entry, "id");
      List<JsonObject> messaging = objects(entry, "messaging");
      List<JsonObject> standby = objects(entry, "standby");
      if (!secrets.allows(signingSecret, page)) {
        parsed.foreignAccount += messaging.size() + standby.size();
        continue;
      }
      messaging.forEach(event -> event(parsed, event, page, false, receivedAt));
      standby.forEach(event -> event(parsed, event, page, true, receivedAt));
    }
    return parsed;
  }

  private static void event(ParsedWebhook parsed, JsonObject event, String page, boolean standby, Instant receivedAt) {
    String sender = text(object(event, "sender"), "id");
    Instant at = epoch(event, "timestamp", true, receivedAt);
    JsonObject message = object(event, "message");
    JsonObject postback = object(event, "postback");
    JsonObject delivery = object(event, "delivery");
    JsonObject read = object(event, "read");
    if (message != null) {
      if (message.getBoolean("is_echo", false) || page != null && page.equals(sender)) {
        parsed.echoes++;
        return;
      }
      String mid = text(message, "mid");
      if (mid == null || sender == null) {
        parsed.unsupported++;
        return;
      }
      JsonObject quickReply = object(message, "quick_reply");
      List<JsonObject> attachments = objects(message, "attachments");
      String type;
      JsonObject content = null;
      if (quickReply != null) {
        type = "quick_reply";
        content = new JsonObject().put("payload", text(quickReply, "payload"));
      } else if (!attachments.isEmpty()) {
        type = text(attachments.getFirst(), "type") == null ? "attachment" : text(attachments.getFirst(), "type");
        content = new JsonObject().put("attachments", new JsonArray(List.copyOf(attachments)));
      } else if (text(message, "text") != null) {
        type = "text";
      } else {
        type = "unsupported";
        parsed.unsupported++;
      }
      parsed.messages.add(new InboundMessage(CHANNEL, page, mid, sender, null, type, text(message, "text"), content,
          text(object(message, "reply_to"), "mid"), at, standby));
    } else if (postback != null && sender != null) {
      // A postback may come without a mid; the sender and the millisecond identify it then.
      String mid = text(postback, "mid") != null ? text(postback, "mid") : "postback:" + sender + ":" + at.toEpochMilli();
      parsed.messages.add(new InboundMessage(CHANNEL, page, mid, sender, null, "postback", text(postback, "title"),
          new JsonObject().put("payload", text(postback, "payload")), null, at, standby));
    } else if (delivery != null) {
      for (Object mid : delivery.getJsonArray("mids", new JsonArray())) {
        if (mid instanceof String id) {
          parsed.statuses.add(new StatusUpdate(CHANNEL, page, id, "delivered", sender, at, null));
        }
      }
    } else if (read != null && sender != null && text(read, "watermark") != null) {
      // Every message the page sent before the watermark has been read.
      parsed.statuses.add(StatusUpdate.readUpTo(CHANNEL, page, sender, epoch(read, "watermark", true, at)));
    } else {
      // reactions, referrals, optins...: nothing to act on yet.
      parsed.unsupported++;
    }
  }
}
