package io.baton.ingest.channels;

import io.baton.config.BatonConfig.AccountSecrets;
import io.baton.ingest.ParsedWebhook;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Turns one verified webhook body into normalised messages and statuses. Updates of an account the
 * signing secret does not belong to are dropped; unknown shapes are counted, never refused.
 */
public interface ChannelParser {

  ParsedWebhook parse(JsonObject body, String signingSecret, AccountSecrets secrets, Instant receivedAt);
}
