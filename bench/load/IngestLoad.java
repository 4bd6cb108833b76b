import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed WhatsApp webhooks: closed loop, N connections, each POST carrying MESSAGES messages of
 * customers drawn from a small set (so conversations get bursts), 10 % of POSTs a byte-for-byte
 * repeat of an earlier one; a POST that fails is sent again, as providers do (errors counts the failed
 * attempts). A fake bot counts what Baton dispatches. Modes:
 *   bot BOT_PORT                              run the fake bot, print its counts on demand (GET /counts)
 *   plain PORT                                a plain Vert.x endpoint answering like a webhook, for the ratio
 *   load PORT CONNECTIONS WARMUP_S MEASURE_S MESSAGES SECRET
 *                                             closed loop: one POST in flight per connection; with RATE
 *                                             (POSTs/s) in the environment, an open loop at that rate over
 *                                             at most CONNECTIONS connections, latency from the schedule
 * Run with the shaded jar on the class path: java -cp target/baton.jar bench/load/IngestLoad.java …
 */
public class IngestLoad {

  static final int CUSTOMERS = 2_000;

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "bot" -> bot(Integer.parseInt(args[1]));
      case "plain" -> plain(Integer.parseInt(args[1]));
      case "load" -> load(args);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** Counts every provider message id the bot receives; /counts answers {received, unique, doubled}. */
  static void bot(int port) {
    Vertx vertx = Vertx.vertx();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicLong received = new AtomicLong();
    AtomicLong doubled = new AtomicLong();
    vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/counts")) {
        request.response().end(new JsonObject().put("received", received.get()).put("unique", seen.size())
            .put("doubled", doubled.get()).encode());
        return;
      }
      request.body().onSuccess(body -> {
        JsonArray messages = body.toJsonObject().getJsonArray("messages", new JsonArray());
        for (int i = 0; i < messages.size(); i++) {
          received.incrementAndGet();
          if (!seen.add(messages.getJsonObject(i).getString("provider_message_id"))) {
            doubled.incrementAndGet();
          }
        }
        request.response().putHeader("Content-Type", "application/json").end("{}");
      });
    }).listen(port).await();
    System.out.println("BOT listening on " + port);
  }

  static void plain(int port) {
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> request.response()
        .putHeader("Content-Type", "application/json").end("{\"status\":\"received\"}"))).listen(port).await();
    System.out.println("PLAIN listening on " + port);
  }

  static void load(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    int connections = Integer.parseInt(args[2]);
    long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
    long measureNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
    int perPost = Integer.parseInt(args[5]);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(args[6].getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String run = Long.toString(System.currentTimeMillis(), 36);
    // RATE (POSTs per second, environment): an open loop at that rate instead of one POST per connection.
    double rate = Double.parseDouble(System.getenv().getOrDefault("RATE", "0"));

    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(rate > 0 ? 1_000_000 : connections));
    long start = System.nanoTime();
    long measureFrom = start + warmupNanos;
    long measureTo = measureFrom + measureNanos;
    long[] latencies = new long[4_000_000];
    AtomicInteger recorded = new AtomicInteger();
    AtomicLong sequence = new AtomicLong();
    AtomicLong acknowledgedMessages = new AtomicLong();
    AtomicLong uniqueSent = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    // The slowest answer of each second of the window, by schedule: shows whether slow answers come in waves.
    long[] slowestPerSecond = new long[(int) (measureNanos / 1_000_000_000L) + 1];
    List<Buffer> sentBodies = java.util.Collections.synchronizedList(new ArrayList<>());
    // One POST: sent now, its latency counted from {@code intended} (the open loop's schedule, so a
    // backlog shows in the figures instead of hiding in the generator); then {@code after} runs.
    java.util.function.BiConsumer<Long, Runnable> post = (intended, after) -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Buffer body;
      boolean duplicate = !sentBodies.isEmpty() && random.nextInt(10) == 0;
      if (duplicate) {
        body = sentBodies.get(random.nextInt(sentBodies.size()));
      } else {
        body = Buffer.buffer(payload(run, sequence, perPost, random));
        if (sentBodies.size() < 100_000) {
          sentBodies.add(body);
        }
      }
      String signature;
      synchronized (mac) {
        signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
      }
      deliver(vertx, client, body, signature, errors, DELIVERY_ATTEMPTS)
          .onComplete(status -> {
            long received = System.nanoTime();
            if (status.result() == 200) {
              if (!duplicate) {
                uniqueSent.addAndGet(perPost);
              }
              // Closed loop: answers inside the window; open loop: every POST scheduled inside it, however late.
              if (intended >= measureFrom && (rate > 0 ? intended < measureTo : received <= measureTo)) {
                acknowledgedMessages.addAndGet(perPost);
                int slot = recorded.getAndIncrement();
                if (slot < latencies.length) {
                  latencies[slot] = received - intended;
                }
                int second = (int) ((intended - measureFrom) / 1_000_000_000L);
                synchronized (slowestPerSecond) {
                  slowestPerSecond[second] = Math.max(slowestPerSecond[second], received - intended);
                }
              }
            }
            after.run();
          });
    };

    CountDownLatch done;
    if (rate > 0) {
      // Open loop: POSTs at a fixed rate whatever the answers do, as providers deliver.
      // Done when the schedule has issued its last POST and every POST issued has its answer. The
      // timer and the answers run on different threads: "all answered" alone can hold for a moment
      // while the timer's last round is still issuing, and would close the client under those POSTs.
      done = new CountDownLatch(1);
      AtomicLong issued = new AtomicLong();
      AtomicLong answered = new AtomicLong();
      AtomicBoolean allIssued = new AtomicBoolean();
      Runnable finishIfAllAnswered = () -> {
        if (allIssued.get() && answered.get() == issued.get()) {
          done.countDown();
        }
      };
      vertx.setPeriodic(1, timer -> {
        long now = System.nanoTime();
        long due = Math.min(now, measureTo) - start;
        long target = (long) (due / 1e9 * rate);
        while (issued.get() < target) {
          long intended = start + (long) (issued.incrementAndGet() * 1e9 / rate);
          post.accept(intended, () -> {
            answered.incrementAndGet();
            finishIfAllAnswered.run();
          });
        }
        if (now >= measureTo) {
          vertx.cancelTimer(timer);
          allIssued.set(true);
          finishIfAllAnswered.run();
        }
      });
    } else {
      done = new CountDownLatch(connections);
      for (int c = 0; c < connections; c++) {
        new Object() {
          void next() {
            long sent = System.nanoTime();
            if (sent >= measureTo) {
              done.countDown();
              return;
            }
            post.accept(sent, this::next);
          }
        }.next();
      }
    }
    done.await(measureTo - start + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    int n = Math.min(recorded.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    double seconds = measureNanos / 1e9;
    StringBuilder waves = new StringBuilder("SLOWEST_PER_SECOND_MS");
    for (long slowest : slowestPerSecond) {
      waves.append(' ').append(slowest / 1_000_000);
    }
    System.out.println(waves);
    System.out.printf("RESULT ingest posts=%d messages_per_s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d unique_sent=%d%n",
        n, acknowledgedMessages.get() / seconds, ms(sorted, 0.50), ms(sorted, 0.99), errors.get(), uniqueSent.get());
  }

  /** Attempts per POST: like a provider, a POST without a 200 is sent again (the same bytes). */
  static final int DELIVERY_ATTEMPTS = 3;

  static final long ANSWER_TIMEOUT_MS = 10_000;

  /** Posts the body until it gets a 200 or runs out of attempts; counts and reports each failure. */
  static Future<Integer> deliver(Vertx vertx, HttpClient client, Buffer body, String signature, AtomicLong errors,
      int attemptsLeft) {
    return client.request(HttpMethod.POST, "/webhooks/whatsapp")
        // As a provider does, a POST without an answer is given up after a while (and sent again).
        .compose(request -> request.idleTimeout(ANSWER_TIMEOUT_MS).putHeader("Content-Type", "application/json")
            .putHeader("X-Hub-Signature-256", signature).send(body))
        .compose(response -> response.body().map(b -> response.statusCode()))
        .recover(failure -> {
          System.err.println("POST failed: " + failure);
          return Future.succeededFuture(-1);
        })
        .compose(status -> {
          if (status == 200) {
            return Future.succeededFuture(status);
          }
          errors.incrementAndGet();
          System.err.println("POST answered " + status + (attemptsLeft > 1 ? "; sending it again" : "; giving up"));
          return attemptsLeft > 1
              ? vertx.timer(100).compose(t -> deliver(vertx, client, body, signature, errors, attemptsLeft - 1))
              : Future.succeededFuture(status);
        });
  }

  /** One WhatsApp delivery of {@code count} text messages from customers of a small set. */
  static String payload(String run, AtomicLong sequence, int count, ThreadLocalRandom random) {
    JsonArray messages = new JsonArray();
    JsonArray contacts = new JsonArray();
    for (int i = 0; i < count; i++) {
      String customer = "55" + (11_900_000_000L + random.nextInt(CUSTOMERS));
      contacts.add(new JsonObject().put("profile", new JsonObject().put("name", "Customer")).put("wa_id", customer));
      messages.add(new JsonObject()
          .put("from", customer)
          .put("id", "wamid." + run + "." + sequence.incrementAndGet())
          .put("timestamp", Long.toString(System.currentTimeMillis() / 1000))
          .put("type", "text")
          // Two words, all different: a customer repeating a question is a trigger for a human, and
          // a conversation handed to a human is not dispatched to the bot (the count check needs that).
          .put("text", new JsonObject().put("body", "order " + sequence.get())));
    }
    JsonObject value = new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("metadata", new JsonObject().put("display_phone_number", "15550001111").put("phone_number_id", "1234567890"))
        .put("contacts", contacts)
        .put("messages", messages);
    return new JsonObject()
        .put("object", "whatsapp_business_account")
        .put("entry", new JsonArray().add(new JsonObject().put("id", "1000000000")
            .put("changes", new JsonArray().add(new JsonObject().put("field", "messages").put("value", value)))))
        .encode();
  }

  static double ms(long[] sorted, double quantile) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }
}
