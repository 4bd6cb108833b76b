package io.baton.ingest.channels.whatsapp;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** WhatsApp Cloud API: every entry[], changes[], messages[], statuses[] and errors[]; accounts by phone_number_id. */
public final class WhatsAppParser implements ChannelParser {

  public static final String CHANNEL = "whatsapp";
  private static final Set<String> MEDIA = Set.of("image", "audio", "document", "video", "sticker");

  @Override
  public ParsedWebhook parse(JsonObject body, String signingSecret, AccountSecrets secrets, Instant receivedAt) {
    ParsedWebhook parsed = new ParsedWebhook();
    if (!"whatsapp_business_account".equals(body.getString("object"))) {
      parsed.unsupported++;
      return parsed;
    }
    for (JsonObject entry : objects(body, "entry")) {
      for (JsonObject change : objects(entry, "changes")) {
        JsonObject value = object(change, "value");
        if (!"messages".equals(change.getString("field")) || value == null) {
          parsed.unsupported++;
          continue;
        }
        String account = text(object(value, "metadata"), "phone_number_id");
        if (!secrets.allows(signingSecret, account)) {
          parsed.foreignAccount += objects(value, "messages").size() + objects(value, "statuses").size();
          continue;
        }
        Map<String, String> names = new HashMap<>();
        for (JsonObject contact : objects(value, "contacts")) {
          String waId = text(contact, "wa_id");
          String name = text(object(contact, "profile"), "name");
          if (waId != null && name != null) {
            names.put(waId, name);
          }
        }
        for (JsonObject message : objects(value, "messages")) {
          InboundMessage normalised = message(message, account, names, receivedAt);
          if (normalised == null) {
            parsed.unsupported++;
          } else {
            if ("unsupported".equals(normalised.type())) {
              parsed.unsupported++;
            }
            parsed.messages.add(normalised);
          }
        }
        for (JsonObject status : objects(value, "statuses")) {
          String id = text(status, "id");
          String state = text(status, "status");
          if (id == null || StatusUpdate.rank(state) == 0) {
            parsed.unsupported++;
            continue;
          }
          parsed.statuses.add(new StatusUpdate(CHANNEL, account, id, state, text(status, "recipient_id"),
              epoch(status, "timestamp", false, receivedAt),
              status.getValue("errors") instanceof JsonArray errors ? errors : null));
        }
        // Errors of the account itself (not of a message): nothing for a customer, but counted.
        parsed.unsupported += objects(value, "errors").size();
      }
    }
    return parsed;
  }

  private static InboundMessage message(JsonObject message, String account, Map<String, String> names,
      Instant receivedAt) {
    String id = text(message, "id");
    String from = text(message, "from");
    String type = text(message, "type");
    if (id == null || from == null || type == null) {
      return null;
    }
    JsonObject typed = object(message, type);
    String text = null;
    JsonObject content = typed == null ? null : typed.copy();
    switch (type) {
      case "text" -> text = text(typed, "body");
      case "location" -> text = text(typed, "name");
      case "interactive" -> {
        JsonObject reply = typed == null ? null
            : object(typed, "button_reply") != null ? object(typed, "button_reply") : object(typed, "list_reply");
        text = text(reply, "title");
      }
      case "button" -> text = text(typed, "text");
      case "reaction" -> text = text(typed, "emoji");
      default -> {
        if (MEDIA.contains(type)) {
          text = text(typed, "caption");
        } else {
          type = "unsupported";
          content = new JsonObject().put("original_type", text(message, "type"))
              .put("errors", message.getValue("errors") instanceof JsonArray errors ? errors : new JsonArray());
        }
      }
    }
    return new InboundMessage(WhatsAppParser.CHANNEL, account, id, from, names.get(from), type, text, content,
        text(object(message, "context"), "id"), epoch(message, "timestamp", false, receivedAt), false);
  }
}
