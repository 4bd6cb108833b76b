import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The helpdesk-outage fault test. Modes:
 *   zendesk PORT      a fake Zendesk (POST/GET /api/v2/tickets) that fails with 503 between POST /fail
 *                     and POST /recover; GET /counts answers {created, distinct, duplicates}
 *   load PORT HELPDESK_PORT CONNECTIONS DURATION_S OUTAGE_AT_S OUTAGE_S DRAIN_LIMIT_S
 *                     creates handoffs from CONNECTIONS clients for DURATION_S, with the helpdesk down
 *                     from OUTAGE_AT_S for OUTAGE_S; then waits until every kept handoff has exactly
 *                     one ticket, and prints one RESULT line
 * Run with the shaded jar on the class path: java -cp target/baton.jar bench/load/HelpdeskOutage.java …
 */
public class HelpdeskOutage {

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "zendesk" -> zendesk(Integer.parseInt(args[1]));
      case "load" -> load(args);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static void zendesk(int port) {
    Vertx vertx = Vertx.vertx();
    AtomicBoolean down = new AtomicBoolean();
    AtomicLong ids = new AtomicLong(1000);
    Map<String, Long> byExternalId = new ConcurrentHashMap<>();
    AtomicLong created = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      String path = request.path();
      if (path.equals("/fail") || path.equals("/recover")) {
        down.set(path.equals("/fail"));
        request.response().end();
      } else if (path.equals("/counts")) {
        request.response().end(new JsonObject().put("created", created.get()).put("distinct", byExternalId.size())
            .put("duplicates", duplicates.get()).encode());
      } else if (down.get()) {
        request.response().setStatusCode(503).end("{\"error\":\"Service Unavailable\"}");
      } else if (request.method() == io.vertx.core.http.HttpMethod.GET) {
        Long id = byExternalId.get(String.valueOf(request.getParam("external_id")));
        JsonArray tickets = new JsonArray();
        if (id != null) {
          tickets.add(new JsonObject().put("id", id));
        }
        request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("tickets", tickets).encode());
      } else {
        String externalId = body.toJsonObject().getJsonObject("ticket").getString("external_id");
        long id = ids.incrementAndGet();
        created.incrementAndGet();
        if (byExternalId.putIfAbsent(externalId, id) != null) {
          duplicates.incrementAndGet();
        }
        request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("ticket", new JsonObject().put("id", id)).encode());
      }
    })).listen(port).await();
    System.out.println("ZENDESK listening on " + port);
  }

  static void load(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    int helpdeskPort = Integer.parseInt(args[2]);
    int connections = Integer.parseInt(args[3]);
    long durationNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
    long outageAt = Long.parseLong(args[5]);
    long outageFor = Long.parseLong(args[6]);
    long drainLimit = Long.parseLong(args[7]);
    String run = Long.toString(System.currentTimeMillis(), 36);

    Vertx vertx = Vertx.vertx();
    HttpClient baton = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(connections));
    HttpClient helpdesk = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(helpdeskPort), new PoolOptions());
    Set<String> kept = ConcurrentHashMap.newKeySet();
    AtomicLong answered200 = new AtomicLong();
    AtomicLong answered502 = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong sequence = new AtomicLong();
    long start = System.nanoTime();
    long end = start + durationNanos;
    vertx.setTimer(TimeUnit.SECONDS.toMillis(outageAt), t -> call(helpdesk, HttpMethod.POST, "/fail"));
    vertx.setTimer(TimeUnit.SECONDS.toMillis(outageAt + outageFor), t -> call(helpdesk, HttpMethod.POST, "/recover"));
    CountDownLatch done = new CountDownLatch(connections);
    for (int c = 0; c < connections; c++) {
      new Object() {
        void next() {
          if (System.nanoTime() >= end) {
            done.countDown();
            return;
          }
          Buffer body = new JsonObject()
              .put("conversation_id", "outage-" + run + "-" + sequence.incrementAndGet())
              .put("user_id", "user-456")
              .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hello")))
              .toBuffer();
          baton.request(HttpMethod.POST, "/api/v1/handoff")
              .compose(request -> request.putHeader("Content-Type", "application/json").send(body))
              .compose(response -> response.body().map(b -> {
                JsonObject answer = b.toJsonObject();
                String id = answer.getString("handoff_id");
                if (response.statusCode() == 200) {
                  answered200.incrementAndGet();
                } else if (response.statusCode() == 502 && id != null) {
                  answered502.incrementAndGet();
                } else {
                  refused.incrementAndGet();
                }
                if (id != null) {
                  kept.add(id);
                }
                return null;
              }))
              .onComplete(r -> next());
        }
      }.next();
    }
    done.await(durationNanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
    long recoveredAt = start + TimeUnit.SECONDS.toNanos(outageAt + outageFor);
    JsonObject counts = new JsonObject();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainLimit);
    while (System.nanoTime() < deadline) {
      counts = call(helpdesk, HttpMethod.GET, "/counts").await(5, TimeUnit.SECONDS);
      if (counts.getLong("distinct") >= kept.size()) {
        break;
      }
      Thread.sleep(500);
    }
    double drainSeconds = (System.nanoTime() - Math.max(recoveredAt, end)) / 1e9;
    long lost = 0;
    for (String id : kept) {
      int status = baton.request(HttpMethod.GET, "/api/v1/handoffs/" + id)
          .compose(request -> request.send().map(response -> response.statusCode()))
          .await(5, TimeUnit.SECONDS);
      if (status != 200) {
        lost++;
      }
    }
    System.out.printf("RESULT outage handoffs_kept=%d answered_200=%d answered_502=%d refused=%d tickets_created=%d"
            + " tickets_distinct=%d duplicates=%d lost=%d without_ticket=%d drain_s=%.1f%n",
        kept.size(), answered200.get(), answered502.get(), refused.get(), counts.getLong("created"),
        counts.getLong("distinct"), counts.getLong("duplicates"), lost, kept.size() - counts.getLong("distinct"),
        drainSeconds);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static Future<JsonObject> call(HttpClient client, HttpMethod method, String path) {
    return client.request(method, path).compose(request -> request.send())
        .compose(response -> response.body())
        .map(body -> body.length() == 0 ? new JsonObject() : body.toJsonObject());
  }
}
