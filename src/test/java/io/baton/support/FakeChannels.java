package io.baton.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server standing in for the WhatsApp Cloud API, the Messenger Send API and X's DM API
 * at once. It checks what a provider checks (path, token, body shape) and answers as they do; every
 * request is recorded; failures can be scripted per channel (a status for the next calls, or down).
 */
public final class FakeChannels implements AutoCloseable {

  public static final String VERSION = "v21.0";
  public static final String WHATSAPP_TOKEN = "wa-token";
  public static final String PAGE_TOKEN = "page-token";
  public static final String X_TOKEN = "x-user-token";

  private static final Pattern WHATSAPP = Pattern.compile("/" + Pattern.quote(VERSION) + "/(\\d+)/messages");
  private static final Pattern MESSENGER = Pattern.compile("/" + Pattern.quote(VERSION) + "/me/messages");
  private static final Pattern X = Pattern.compile("/2/dm_conversations/with/(\\d+)/messages");

  /** One request as received; {@code accepted}: answered 2xx (the provider took the message). */
  public record Received(String channel, String path, String query, Map<String, String> headers, JsonObject body,
      boolean accepted, String providerId) {
  }

  private record Scripted(int status, JsonObject body) {
  }

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Map<String, ArrayDeque<Scripted>> scripted = new LinkedHashMap<>();
  private final Map<String, Integer> downWith = new LinkedHashMap<>();
  /** By WhatsApp recipient: what to do, given the id about to be answered, before answering. */
  private final Map<String, Function<String, Future<?>>> beforeAnswering = new LinkedHashMap<>();
  private long nextId = 1;

  private FakeChannels(Vertx vertx) {
    this.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(raw -> {
      Map<String, String> headers = new LinkedHashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      JsonObject body;
      try {
        body = new JsonObject(raw.toString());
      } catch (RuntimeException notJson) {
        request.response().setStatusCode(400).end();
        return;
      }
      answer(request.path(), request.query(), headers, body, request.response(), request.getParam("access_token"));
    }));
  }

  public static FakeChannels start(Vertx vertx) {
    FakeChannels fake = new FakeChannels(vertx);
    Await.result(fake.server.listen(0, "127.0.0.1"));
    return fake;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The settings that point Baton's senders here. */
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BATON_OUTBOUND_WHATSAPP_BASE_URL", baseUrl());
    env.put("BATON_OUTBOUND_WHATSAPP_API_VERSION", VERSION);
    env.put("BATON_OUTBOUND_WHATSAPP_ACCESS_TOKEN", WHATSAPP_TOKEN);
    env.put("BATON_OUTBOUND_MESSENGER_BASE_URL", baseUrl());
    env.put("BATON_OUTBOUND_MESSENGER_API_VERSION", VERSION);
    env.put("BATON_OUTBOUND_MESSENGER_ACCESS_TOKEN", PAGE_TOKEN);
    env.put("BATON_OUTBOUND_TWITTER_BASE_URL", baseUrl());
    env.put("BATON_OUTBOUND_TWITTER_ACCESS_TOKEN", X_TOKEN);
    return env;
  }

  private void answer(String path, String query, Map<String, String> headers, JsonObject body,
      HttpServerResponse response, String accessToken) {
    Matcher whatsapp = WHATSAPP.matcher(path);
    Matcher x = X.matcher(path);
    String channel;
    String problem;
    if (whatsapp.matches()) {
      channel = "whatsapp";
      problem = !("Bearer " + WHATSAPP_TOKEN).equals(headers.get("authorization")) ? "bad token"
          : !"whatsapp".equals(body.getString("messaging_product")) || body.getString("to") == null
              || body.getString("type") == null || body.getJsonObject(body.getString("type")) == null
              ? "bad body" : null;
    } else if (MESSENGER.matcher(path).matches()) {
      channel = "messenger";
      JsonObject recipient = body.getJsonObject("recipient");
      String type = body.getString("messaging_type");
      problem = !PAGE_TOKEN.equals(accessToken) ? "bad token"
          : recipient == null || recipient.getString("id") == null || body.getJsonObject("message") == null
              || !("RESPONSE".equals(type) || ("MESSAGE_TAG".equals(type) && "HUMAN_AGENT".equals(body.getString("tag"))))
              ? "bad body" : null;
    } else if (x.matches()) {
      channel = "twitter";
      problem = !("Bearer " + X_TOKEN).equals(headers.get("authorization")) ? "bad token"
          : body.getString("text") == null && body.getJsonArray("attachments") == null ? "bad body" : null;
    } else {
      response.setStatusCode(404).end();
      return;
    }
    Scripted next;
    synchronized (this) {
      ArrayDeque<Scripted> queue = scripted.get(channel);
      next = queue == null ? null : queue.poll();
      if (next == null && downWith.containsKey(channel)) {
        next = new Scripted(downWith.get(channel), graphError("Service temporarily unavailable", 2));
      }
    }
    if (problem != null) {
      next = new Scripted("bad token".equals(problem) ? 401 : 400, graphError(problem, 100));
    }
    if (next != null) {
      record(new Received(channel, path, query, headers, body, false, null));
      response.setStatusCode(next.status()).putHeader("Content-Type", "application/json").end(next.body().encode());
      return;
    }
    String id;
    synchronized (this) {
      id = switch (channel) {
        case "whatsapp" -> "wamid.OUT" + nextId++;
        case "messenger" -> "m_OUT" + nextId++;
        default -> String.valueOf(1_700_000_000_000L + nextId++);
      };
    }
    Function<String, Future<?>> first;
    synchronized (this) {
      first = "whatsapp".equals(channel) ? beforeAnswering.remove(body.getString("to")) : null;
    }
    if (first != null) {
      // As providers do: their status webhooks may reach Baton before their answer to the send.
      first.apply(id).onComplete(done -> accept(channel, path, query, headers, body, response, id));
      return;
    }
    accept(channel, path, query, headers, body, response, id);
  }

  private void accept(String channel, String path, String query, Map<String, String> headers, JsonObject body,
      HttpServerResponse response, String id) {
    record(new Received(channel, path, query, headers, body, true, id));
    JsonObject answer = switch (channel) {
      case "whatsapp" -> new JsonObject().put("messaging_product", "whatsapp")
          .put("contacts", new JsonArray().add(new JsonObject().put("input", body.getString("to"))
              .put("wa_id", body.getString("to"))))
          .put("messages", new JsonArray().add(new JsonObject().put("id", id)));
      case "messenger" -> new JsonObject().put("recipient_id", body.getJsonObject("recipient").getString("id"))
          .put("message_id", id);
      default -> new JsonObject().put("data", new JsonObject().put("dm_conversation_id", "dm-conv").put("dm_event_id", id));
    };
    response.setStatusCode("twitter".equals(channel) ? 201 : 200).putHeader("Content-Type", "application/json")
        .end(answer.encode());
  }

  private static JsonObject graphError(String message, int code) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("code", code));
  }

  private synchronized void record(Received call) {
    received.add(call);
  }

  /**
   * The next message WhatsApp takes for {@code to} is answered only once {@code action}, given the
   * message's wamid, is done (e.g. a status webhook posted to Baton first).
   */
  public synchronized void beforeAnsweringWhatsApp(String to, Function<String, Future<?>> action) {
    beforeAnswering.put(to, action);
  }

  /** The channel answers {@code status} to its next call. */
  public synchronized void failNext(String channel, int status, String message) {
    scripted.computeIfAbsent(channel, c -> new ArrayDeque<>()).add(new Scripted(status, graphError(message, 131026)));
  }

  /** The channel answers {@code status} to every call until {@link #up}. */
  public synchronized void down(String channel, int status) {
    downWith.put(channel, status);
  }

  public synchronized void up(String channel) {
    downWith.remove(channel);
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> received(String channel) {
    return received().stream().filter(r -> r.channel().equals(channel)).toList();
  }

  @Override
  public void close() {
    Await.result(server.close());
  }
}
