import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds N event streams (GET /api/v1/events) open, then creates handoffs at a fixed rate and
 * measures what the streams receive: events delivered per second (over all streams) and the delay
 * from each event's time (when Baton wrote it, same machine clock) to its arrival on a stream.
 * Prints OPENED once every stream has its `connected` event, waits HOLD_S (for the caller to
 * measure memory), loads for MEASURE_S and prints one RESULT line. Run from the repository root:
 *   java -cp target/baton.jar bench/load/SseLoad.java PORT STREAMS RATE_PER_S HOLD_S MEASURE_S
 */
public class SseLoad {

  static final String BODY = """
      {"conversation_id":"%s","user_id":"user-456","messages":[{"content":"hello","speaker":"user"}]}""";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int streams = Integer.parseInt(args[1]);
    int rate = Integer.parseInt(args[2]);
    long holdSeconds = Long.parseLong(args[3]);
    long measureSeconds = Long.parseLong(args[4]);
    String run = Long.toString(System.currentTimeMillis(), 36);

    Vertx vertx = Vertx.vertx();
    HttpClient streamClient = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(streams));
    HttpClient postClient = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(32));

    long[] latencies = new long[20_000_000];
    AtomicInteger recorded = new AtomicInteger();
    AtomicLong received = new AtomicLong();
    AtomicLong streamErrors = new AtomicLong();
    CountDownLatch opened = new CountDownLatch(streams);
    for (int i = 0; i < streams; i++) {
      open(streamClient, opened, received, latencies, recorded, streamErrors);
    }
    if (!opened.await(60, TimeUnit.SECONDS)) {
      System.err.println("not every stream opened: " + opened.getCount() + " missing");
    }
    System.out.println("OPENED streams=" + (streams - opened.getCount()));
    Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));

    AtomicLong created = new AtomicLong();
    AtomicLong postErrors = new AtomicLong();
    AtomicLong sequence = new AtomicLong();
    long receivedBefore = received.get();
    recorded.set(0);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(measureSeconds);
    // Ten ticks a second, each sending a tenth of the rate (or one create every few ticks for rates
    // under ten): an open loop, as real traffic is.
    AtomicLong ticks = new AtomicLong();
    long timer = vertx.setPeriodic(100, id -> {
      long tick = ticks.getAndIncrement();
      if (System.nanoTime() >= end || (rate < 10 && tick % (10 / Math.max(1, rate)) != 0)) {
        return;
      }
      for (int i = 0; i < Math.max(1, rate / 10); i++) {
        Buffer body = Buffer.buffer(BODY.formatted("sse-" + run + "-" + sequence.incrementAndGet()));
        postClient.request(HttpMethod.POST, "/api/v1/handoff")
            .compose(request -> request.putHeader("Content-Type", "application/json").send(body))
            .compose(response -> response.body().map(b -> response.statusCode()))
            .recover(failure -> Future.succeededFuture(-1))
            .onSuccess(status -> {
              if (status == 200) {
                created.incrementAndGet();
              } else {
                postErrors.incrementAndGet();
              }
            });
      }
    });
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
    vertx.cancelTimer(timer);
    // Let what was written reach the streams before counting.
    Thread.sleep(2_000);
    long delivered = received.get() - receivedBefore;
    // Counted before closing: closing the client ends every stream with an error of its own.
    long failedStreams = streamErrors.get();
    int n = Math.min(recorded.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    vertx.close().await(10, TimeUnit.SECONDS);

    System.out.printf("RESULT sse streams=%d created=%d expected=%d delivered=%d events_per_s=%.0f p50_ms=%.2f "
            + "p99_ms=%.2f max_ms=%.2f post_errors=%d stream_errors=%d%n",
        streams, created.get(), created.get() * streams, delivered, delivered / (double) measureSeconds,
        ms(sorted, 0.50), ms(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e3, postErrors.get(), failedStreams);
  }

  /** Latencies are kept in microseconds. */
  static double ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e3;
  }

  static void open(HttpClient client, CountDownLatch opened, AtomicLong received, long[] latencies,
      AtomicInteger recorded, AtomicLong errors) {
    client.request(HttpMethod.GET, "/api/v1/events?types=handoff.created")
        .compose(request -> request.putHeader("Accept", "text/event-stream").send())
        .onFailure(failure -> {
          errors.incrementAndGet();
          opened.countDown();
        })
        .onSuccess(response -> {
          if (response.statusCode() != 200) {
            errors.incrementAndGet();
            opened.countDown();
            return;
          }
          StringBuilder pending = new StringBuilder();
          boolean[] connected = {false};
          response.exceptionHandler(failure -> errors.incrementAndGet());
          response.handler(chunk -> {
            pending.append(chunk.toString());
            int cut;
            while ((cut = pending.indexOf("\n\n")) >= 0) {
              String frame = pending.substring(0, cut);
              pending.delete(0, cut + 2);
              if (frame.contains("event: connected") && !connected[0]) {
                connected[0] = true;
                opened.countDown();
              } else if (frame.contains("event: handoff.created")) {
                received.incrementAndGet();
                int at = frame.indexOf("\"at\":\"");
                if (at >= 0) {
                  Instant written = Instant.parse(frame.substring(at + 6, frame.indexOf('"', at + 6)));
                  Instant now = Instant.now();
                  long micros = (now.getEpochSecond() - written.getEpochSecond()) * 1_000_000
                      + (now.getNano() - written.getNano()) / 1_000;
                  int slot = recorded.getAndIncrement();
                  if (slot < latencies.length) {
                    latencies[slot] = micros;
                  }
                }
              }
            }
          });
        });
  }
}
