package io.baton.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real HTTP server standing in for Zendesk or Freshdesk: tickets are kept by external id, each
 * request is recorded, and answers can be scripted (a status for the next calls, a delay, down).
 */
public final class FakeHelpdesk implements AutoCloseable {

  public enum Flavour { ZENDESK, FRESHDESK, WEBHOOK }

  /** One request as received. */
  public record Received(String method, String path, String query, Map<String, String> headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private record Scripted(int status, Map<String, String> headers) {
  }

  private final Flavour flavour;
  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final ArrayDeque<Scripted> scripted = new ArrayDeque<>();
  private final Map<String, JsonObject> byExternalId = new LinkedHashMap<>();
  private final Map<String, Integer> madePerExternalId = new LinkedHashMap<>();
  private volatile boolean down;
  private volatile long delayMs;
  /** After storing a ticket, answer as if it failed (the helpdesk made it; we never heard). */
  private volatile boolean loseAnswers;
  private long nextId = 1000;

  private FakeHelpdesk(Vertx vertx, Flavour flavour) {
    this.flavour = flavour;
    this.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Map<String, String> headers = new LinkedHashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      Received call = new Received(request.method().name(), request.path(), request.query(), headers,
          body.toString());
      synchronized (this) {
        received.add(call);
      }
      Runnable answer = () -> answer(request.response(), call);
      if (delayMs > 0) {
        vertx.setTimer(delayMs, t -> answer.run());
      } else {
        answer.run();
      }
    }));
  }

  public static FakeHelpdesk start(Vertx vertx, Flavour flavour) {
    FakeHelpdesk fake = new FakeHelpdesk(vertx, flavour);
    Await.result(fake.server.listen(0, "127.0.0.1"));
    return fake;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private synchronized void answer(io.vertx.core.http.HttpServerResponse response, Received call) {
    if (down) {
      response.setStatusCode(503).end();
      return;
    }
    Scripted next = scripted.poll();
    if (next != null) {
      response.setStatusCode(next.status());
      next.headers().forEach(response::putHeader);
      response.end("{\"error\":\"scripted\"}");
      return;
    }
    response.putHeader("Content-Type", "application/json");
    if (flavour == Flavour.WEBHOOK) {
      response.setStatusCode(200).end(new JsonObject().put("ticket_id", "wh-" + (nextId++)).encode());
      return;
    }
    String idKey = flavour == Flavour.ZENDESK ? "external_id" : "unique_external_id";
    if (call.method().equals("GET")) {
      String wanted = call.query() == null ? "" : call.query().replaceFirst("^.*" + idKey + "=", "");
      JsonObject found = byExternalId.get(wanted);
      JsonArray list = found == null ? new JsonArray() : new JsonArray().add(found);
      response.setStatusCode(200).end(flavour == Flavour.ZENDESK
          ? new JsonObject().put("tickets", list).encode() : list.encode());
      return;
    }
    JsonObject body = call.json();
    JsonObject ticket = flavour == Flavour.ZENDESK ? body.getJsonObject("ticket") : body;
    long id = nextId++;
    JsonObject stored = new JsonObject().put("id", id).put(idKey, ticket.getString(idKey))
        .put("url", baseUrl() + "/api/v2/tickets/" + id + ".json");
    byExternalId.put(ticket.getString(idKey), stored);
    madePerExternalId.merge(ticket.getString(idKey), 1, Integer::sum);
    if (loseAnswers) {
      response.setStatusCode(504).end();
      return;
    }
    response.setStatusCode(201).end(flavour == Flavour.ZENDESK
        ? new JsonObject().put("ticket", stored).encode() : stored.encode());
  }

  /** The next {@code times} calls are answered {@code status} with {@code headers}. */
  public synchronized FakeHelpdesk answerNext(int times, int status, Map<String, String> headers) {
    for (int i = 0; i < times; i++) {
      scripted.add(new Scripted(status, headers));
    }
    return this;
  }

  public FakeHelpdesk down(boolean isDown) {
    down = isDown;
    return this;
  }

  public FakeHelpdesk delay(long millis) {
    delayMs = millis;
    return this;
  }

  public FakeHelpdesk loseAnswers(boolean lose) {
    loseAnswers = lose;
    return this;
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** Tickets made, by external id. */
  public synchronized Map<String, JsonObject> tickets() {
    return Map.copyOf(byExternalId);
  }

  /** How many tickets were made for each external id (more than one is a duplicate). */
  public synchronized Map<String, Integer> madePerExternalId() {
    return Map.copyOf(madePerExternalId);
  }

  public synchronized long creates() {
    return received.stream().filter(r -> r.method().equals("POST")).count();
  }

  @Override
  public void close() {
    Await.result(server.close());
  }
}
