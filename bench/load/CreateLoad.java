import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load on POST /api/v1/handoff: N connections, each with one request in flight, every
 * request for a distinct conversation. Warms up, then measures for a fixed time and prints one
 * RESULT line. Run from the repository root with the shaded jar on the class path:
 *   java -cp target/baton.jar bench/load/CreateLoad.java PORT CONNECTIONS WARMUP_S MEASURE_S
 */
public class CreateLoad {

  static final String BODY = """
      {"conversation_id":"%s","user_id":"user-456","priority":"HIGH",
       "messages":[{"content":"I need help with billing","speaker":"user"},
                   {"content":"Let me transfer you","speaker":"ai"}],
       "metadata":{"channel":"web","product":"premium"}}""";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int connections = Integer.parseInt(args[1]);
    long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
    long measureNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
    String run = Long.toString(System.currentTimeMillis(), 36);

    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(connections));

    long start = System.nanoTime();
    long measureFrom = start + warmupNanos;
    long measureTo = measureFrom + measureNanos;
    long[] latencies = new long[50_000_000 / 8];
    AtomicInteger recorded = new AtomicInteger();
    AtomicLong sequence = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(connections);

    for (int c = 0; c < connections; c++) {
      loop(client, run, sequence, latencies, recorded, errors, measureFrom, measureTo, done);
    }
    if (!done.await(measureTo - start + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS)) {
      System.err.println("load did not finish in time");
    }
    vertx.close().await(10, TimeUnit.SECONDS);

    int n = Math.min(recorded.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    double seconds = measureNanos / 1e9;
    System.out.printf("RESULT create requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f errors=%d%n",
        n, n / seconds, ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 0.999),
        n == 0 ? 0 : sorted[n - 1] / 1e6, errors.get());
  }

  static double ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  static void loop(HttpClient client, String run, AtomicLong sequence, long[] latencies, AtomicInteger recorded,
      AtomicLong errors, long measureFrom, long measureTo, CountDownLatch done) {
    long sent = System.nanoTime();
    if (sent >= measureTo) {
      done.countDown();
      return;
    }
    Buffer body = Buffer.buffer(BODY.formatted("bench-" + run + "-" + sequence.incrementAndGet()));
    client.request(HttpMethod.POST, "/api/v1/handoff")
        .compose(request -> request.putHeader("Content-Type", "application/json").send(body))
        .compose(response -> response.body().map(b -> response.statusCode()))
        .recover(failure -> Future.succeededFuture(-1))
        .onComplete(status -> {
          long received = System.nanoTime();
          if (sent >= measureFrom && received <= measureTo) {
            if (status.result() == 200) {
              int slot = recorded.getAndIncrement();
              if (slot < latencies.length) {
                latencies[slot] = received - sent;
              }
            } else {
              errors.incrementAndGet();
            }
          }
          loop(client, run, sequence, latencies, recorded, errors, measureFrom, measureTo, done);
        });
  }
}
