package io.baton.outbound;

import io.baton.config.BatonConfig.ChannelSendConfig;
import io.baton.downstream.CallFailed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/**
 * One channel's send API: turns a send into the provider's request and its answer into the provider's
 * message id. A non-2xx answer fails with a {@link CallFailed} that says whether a retry can help.
 */
public abstract class ChannelSender {

  /** Provider error texts are quoted in the message's failure, this long at most. */
  private static final int ERROR_TEXT = 300;

  protected final WebClient client;
  protected final ChannelSendConfig config;
  protected final Duration timeout;

  protected ChannelSender(WebClient client, ChannelSendConfig config, Duration timeout) {
    this.client = client;
    this.config = config;
    this.timeout = timeout;
  }

  /** whatsapp, messenger or twitter. */
  public abstract String channel();

  /** Sends; answers the provider's id of the message. */
  public abstract Future<String> send(OutboundDelivery delivery);

  /** The body of a 2xx answer; else the failure it means, with the provider's own words. */
  protected JsonObject body(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = null;
    try {
      body = response.bodyAsJsonObject();
    } catch (RuntimeException notJson) {
      // A proxy's HTML error page, say: the status alone tells what happened.
    }
    if (status / 100 == 2) {
      if (body == null) {
        throw new CallFailed(channel() + " answered " + status + " without a JSON body", true, null);
      }
      return body;
    }
    String said = body == null ? "" : providerError(body);
    throw new CallFailed(channel() + " answered " + status + (said.isBlank() ? "" : ": " + clip(said)),
        CallFailed.statusCounts(status), CallFailed.retryAfter(response.getHeader("Retry-After")));
  }

  /** Graph API errors are {@code {error: {message, code}}}; X's are {@code {title, detail}}. */
  private static String providerError(JsonObject body) {
    JsonObject error = body.getValue("error") instanceof JsonObject e ? e : null;
    if (error != null) {
      return error.getString("message", "") + (error.getValue("code") == null ? "" : " (code " + error.getValue("code") + ")");
    }
    return body.getString("detail", body.getString("title", ""));
  }

  protected String missingId(String what) {
    throw new CallFailed(channel() + " answered without " + what, true, null);
  }

  private static String clip(String text) {
    return text.length() <= ERROR_TEXT ? text : text.substring(0, ERROR_TEXT) + "…";
  }
}
