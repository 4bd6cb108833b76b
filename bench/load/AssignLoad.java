import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two closed-loop scenarios on the operator endpoints, each warmed up then measured for a fixed
 * time, one RESULT line each. Run from the repository root with the shaded jar on the class path:
 *   java -cp target/baton.jar bench/load/AssignLoad.java PORT CONNECTIONS WARMUP_S MEASURE_S RACERS
 *
 * cycle:      each connection creates a handoff (its own conversation), assigns it to its own agent
 *             and resolves it, again and again: cycles per second, and a cycle's latency.
 * contention: a handoff is created, then RACERS clients assign it to different agents at once;
 *             exactly one must get 200, the others 409. Latency of every assign; a round with other
 *             than one winner counts as an error.
 */
public class AssignLoad {

  static final String BODY = """
      {"conversation_id":"%s","user_id":"user-456","priority":"HIGH",
       "messages":[{"content":"I need help with my order","speaker":"user"}],
       "metadata":{"channel":"web"}}""";

  record Window(long from, long to) {
    boolean covers(long sent, long received) {
      return sent >= from && received <= to;
    }
  }

  static final class Samples {
    final long[] latencies = new long[4_000_000];
    final AtomicLong count = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    void add(long nanos) {
      long slot = count.getAndIncrement();
      if (slot < latencies.length) {
        latencies[(int) slot] = nanos;
      }
    }

    long[] sorted() {
      long[] sorted = Arrays.copyOf(latencies, (int) Math.min(count.get(), latencies.length));
      Arrays.sort(sorted);
      return sorted;
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int connections = Integer.parseInt(args[1]);
    long warmup = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
    long measure = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
    int racers = Integer.parseInt(args[4]);
    String run = Long.toString(System.currentTimeMillis(), 36);

    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(Math.max(connections, racers)).setMaxWaitQueueSize(100_000));
    AtomicLong sequence = new AtomicLong();

    long start = System.nanoTime();
    Window window = new Window(start + warmup, start + warmup + measure);
    Samples cycles = new Samples();
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Promise<Void> done = Promise.promise();
      loops.add(done.future());
      cycleLoop(client, run + "-c", sequence, "agent-" + c, cycles, window, done);
    }
    Future.all(loops).await(measure + warmup + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
    report("cycle", cycles, measure, "cycles_per_s");

    start = System.nanoTime();
    window = new Window(start + warmup, start + warmup + measure);
    Samples assigns = new Samples();
    Promise<Void> contended = Promise.promise();
    contentionLoop(client, run + "-r", sequence, racers, assigns, window, contended);
    contended.future().await(measure + warmup + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
    report("contention racers=" + racers, assigns, measure, "assigns_per_s");
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static void report(String name, Samples samples, long measureNanos, String rate) {
    long[] sorted = samples.sorted();
    System.out.printf("RESULT %s n=%d %s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d%n", name, sorted.length,
        rate, sorted.length / (measureNanos / 1e9), ms(sorted, 0.50), ms(sorted, 0.99),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, samples.errors.get());
  }

  static double ms(long[] sorted, double quantile) {
    return sorted.length == 0 ? 0
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  static Future<Integer> post(HttpClient client, String path, String body, JsonObject[] answer) {
    return client.request(HttpMethod.POST, path)
        .compose(request -> request.putHeader("Content-Type", "application/json").send(Buffer.buffer(body)))
        .compose(response -> response.body().map(b -> {
          if (answer != null && response.statusCode() == 200) {
            answer[0] = b.toJsonObject();
          }
          return response.statusCode();
        }))
        .recover(failure -> Future.succeededFuture(-1));
  }

  static Future<String> create(HttpClient client, String run, AtomicLong sequence) {
    JsonObject[] created = new JsonObject[1];
    return post(client, "/api/v1/handoff", BODY.formatted("bench-" + run + "-" + sequence.incrementAndGet()), created)
        .compose(status -> status == 200 ? Future.succeededFuture(created[0].getString("handoff_id"))
            : Future.failedFuture("create answered " + status));
  }

  /** Callbacks rather than a chain of composed futures: a chain as long as the run would unwind deeply at the end. */
  static void cycleLoop(HttpClient client, String run, AtomicLong sequence, String agent, Samples samples,
      Window window, Promise<Void> done) {
    long sent = System.nanoTime();
    if (sent >= window.to()) {
      done.complete();
      return;
    }
    String assign = new JsonObject().put("agent_id", agent).encode();
    Future<Boolean> cycle = create(client, run, sequence)
        .compose(id -> post(client, "/api/v1/handoffs/" + id + "/assign", assign, null)
            .compose(status -> status == 200 ? post(client, "/api/v1/handoffs/" + id + "/resolve", "{}", null)
                : Future.succeededFuture(status)))
        .map(status -> status == 200)
        .otherwise(false);
    cycle.onComplete(ok -> {
      long received = System.nanoTime();
      if (window.covers(sent, received)) {
        if (ok.result()) {
          samples.add(received - sent);
        } else {
          samples.errors.incrementAndGet();
        }
      }
      cycleLoop(client, run, sequence, agent, samples, window, done);
    });
  }

  static void contentionLoop(HttpClient client, String run, AtomicLong sequence, int racers, Samples samples,
      Window window, Promise<Void> done) {
    if (System.nanoTime() >= window.to()) {
      done.complete();
      return;
    }
    create(client, run, sequence).compose(id -> {
      List<Future<Integer>> assigns = new ArrayList<>();
      for (int r = 0; r < racers; r++) {
        long sent = System.nanoTime();
        String body = new JsonObject().put("agent_id", "racer-" + r).encode();
        assigns.add(post(client, "/api/v1/handoffs/" + id + "/assign", body, null).map(status -> {
          long received = System.nanoTime();
          if (window.covers(sent, received)) {
            samples.add(received - sent);
          }
          return status;
        }));
      }
      return Future.join(assigns).map(joined -> {
        long winners = assigns.stream().filter(f -> f.result() == 200).count();
        long losers = assigns.stream().filter(f -> f.result() == 409).count();
        if (winners != 1 || winners + losers != racers) {
          samples.errors.incrementAndGet();
        }
        return null;
      });
    }).otherwise(failure -> {
      samples.errors.incrementAndGet();
      return null;
    }).onComplete(v -> contentionLoop(client, run, sequence, racers, samples, window, done));
  }
}
