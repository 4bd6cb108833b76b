package io.baton.ingest.channels.twitter;

import static io.baton.ingest.channels.Json.epoch;
import static io.baton.ingest.channels.Json.object;
import static io.baton.ingest.channels.Json.objects;
import static io.baton.ingest.channels.Json.text;

import io.baton.config.BatonConfig.AccountSecrets;
import io.baton.ingest.InboundMessage;
import io.baton.ingest.ParsedWebhook;
import io.baton.ingest.channels.ChannelParser;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * X Account Activity: direct_message_events[] of type message_create. DMs our own account sent come
 * back and are dropped ({@code sender_id == for_user_id}). Accounts by for_user_id.
 */
public final class TwitterParser implements ChannelParser {

  public static final String CHANNEL = "twitter";

  @Override
  public ParsedWebhook parse(JsonObject body, String signingSecret, AccountSecrets secrets, Instant receivedAt) {
    ParsedWebhook parsed = new ParsedWebhook();
    String forUser = text(body, "for_user_id");
    if (!body.containsKey("direct_message_events")) {
      // Tweets, likes, follows, typing indicators...: counted, not handled.
      parsed.unsupported++;
      return parsed;
    }
    if (!secrets.allows(signingSecret, forUser)) {
      parsed.foreignAccount += objects(body, "direct_message_events").size();
      return parsed;
    }
    JsonObject users = object(body, "users");
    for (JsonObject event : objects(body, "direct_message_events")) {
      JsonObject create = object(event, "message_create");
      String id = text(event, "id");
      String sender = text(create, "sender_id");
      if (!"message_create".equals(event.getString("type")) || create == null || id == null || sender == null) {
        parsed.unsupported++;
        continue;
      }
      if (sender.equals(forUser)) {
        parsed.echoes++;
        continue;
      }
      JsonObject data = object(create, "message_data");
      JsonObject attachment = object(data, "attachment");
      JsonObject quickReply = object(data, "quick_reply_response");
      String type = quickReply != null ? "quick_reply" : attachment != null ? "attachment" : "text";
      JsonObject content = quickReply != null ? quickReply.copy() : attachment != null ? attachment.copy() : null;
      parsed.messages.add(new InboundMessage(CHANNEL, forUser, id, sender, text(object(users, sender), "name"), type,
          text(data, "text"), content, null, epoch(event, "created_timestamp", true, receivedAt), false));
    }
    return parsed;
  }
}
