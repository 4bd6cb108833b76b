package io.baton;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.SseStream;
import io.baton.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping while creates are in flight loses nothing that was acknowledged: in this JVM
 * ({@link BatonApp#stop}) and as a real process sent SIGTERM. Open event streams end with a
 * reconnect hint.
 */
@Timeout(180)
class GracefulStopTest {

  /** The tenant the cases act in (tenant cases add others). */
  static final String T = "default";

  private static JsonObject createBody(String conversationId) {
    return new JsonObject().put("conversation_id", conversationId).put("user_id", "u")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hi")));
  }

  /**
   * Every create answered 200 is in PostgreSQL, and so is every one answered 502 with a handoff_id
   * (kept, its ticket retried: a cold JVM's first tickets can miss the sync wait). While stopping,
   * the only other answer is 503; a request that reached no server fails to connect, which is not an
   * answer. Answers the number of acknowledged creates.
   */
  private static int assertAcknowledgedAreStored(PostgresConfig schema, List<Future<HttpResponse<Buffer>>> requests) {
    List<String> acknowledged = requests.stream()
        .filter(r -> r.succeeded() && (r.result().statusCode() == 200 || r.result().statusCode() == 502))
        .map(r -> r.result().bodyAsJsonObject().getString("handoff_id"))
        .toList();
    assertThat(acknowledged).isNotEmpty().doesNotContainNull();
    assertThat(requests).allSatisfy(r -> {
      if (r.succeeded()) {
        assertThat(r.result().statusCode()).as("answer during a stop: %s", r.result().bodyAsString())
            .isIn(200, 502, 503);
      }
    });
    Vertx checker = Vertx.vertx();
    PgStorage storage = PgStorage.connect(checker, schema);
    try {
      for (String id : acknowledged) {
        assertThat(Await.result(storage.handoffs().get(T, id))).as(id).isPresent();
      }
    } finally {
      Await.result(storage.close());
      Await.result(checker.close());
    }
    return acknowledged.size();
  }

  @Test
  void everyAcknowledgedCreateSurvivesAStopUnderLoad() {
    BatonInstance baton = BatonInstance.postgres(Map.of());
    Vertx clientVertx = Vertx.vertx();
    WebClient client = WebClient.create(clientVertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(baton.port),
        new PoolOptions().setHttp1MaxSize(32));
    List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
    Promise<Void> firstAnswer = Promise.promise();
    for (int i = 0; i < 400; i++) {
      Future<HttpResponse<Buffer>> request = client.post("/api/v1/handoff").sendJsonObject(createBody("stop-" + i));
      request.onSuccess(r -> firstAnswer.tryComplete());
      requests.add(request);
    }
    Await.result(firstAnswer.future());

    Await.result(baton.app.stop());
    Await.result(baton.vertx.close());
    Await.result(Future.join(requests).otherwiseEmpty());

    assertAcknowledgedAreStored(baton.schema(), requests);
    client.close();
    Await.result(clientVertx.close());
    TestServices.dropSchema(baton.schema());
  }

  /**
   * BatonApp.main in a process of its own (JSON logs, as postgres mode has by default), under a steady
   * stream of creates, gets SIGTERM: it stops accepting, answers what it accepted, and exits.
   */
  @Test
  void sigtermUnderLoadLosesNothingAcknowledgedAndTheProcessExits() throws Exception {
    PostgresConfig schema = TestServices.freshSchema(8);
    int port = freePort();
    Path log = Files.createTempFile("baton-sigterm", ".log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", mainClassPath(), BatonApp.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // Only the settings of this test: the surrounding environment must not steer the process.
    builder.environment().keySet().removeIf(name -> name.startsWith("BATON_"));
    builder.environment().putAll(Map.of(
        "BATON_STORAGE_MODE", "postgres",
        "BATON_STORAGE_POSTGRES_URL", schema.url(),
        "BATON_STORAGE_POSTGRES_SCHEMA", schema.schema(),
        "BATON_STORAGE_POSTGRES_POOL_SIZE", "8",
        "BATON_HTTP_PORT", String.valueOf(port),
        "BATON_HTTP_INSTANCES", "2",
        "BATON_HTTP_HOST", "127.0.0.1"));
    Process baton = builder.start();
    Vertx clientVertx = Vertx.vertx();
    WebClient client = WebClient.create(clientVertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setConnectTimeout(2_000)
            .setIdleTimeout(30),
        new PoolOptions().setHttp1MaxSize(16));
    try {
      awaitHealthy(client, baton, log);
      List<Future<HttpResponse<Buffer>>> requests = new CopyOnWriteArrayList<>();
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger next = new AtomicInteger();
      Promise<Void> allSent = Promise.promise();
      // 16 senders, each sending its next create when its previous one is answered, 3,000 at most.
      for (int sender = 0; sender < 16; sender++) {
        sendNext(client, requests, answered, next, 3_000, allSent);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (answered.get() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(answered.get()).as("creates answered before SIGTERM").isGreaterThanOrEqualTo(100);

      baton.destroy(); // SIGTERM
      assertThat(baton.waitFor(60, TimeUnit.SECONDS)).as("the process exits after SIGTERM").isTrue();
      Await.result(allSent.future());
      Await.result(Future.join(new ArrayList<>(requests)).otherwiseEmpty());

      int acknowledged = assertAcknowledgedAreStored(schema, requests);
      assertThat(acknowledged).isGreaterThanOrEqualTo(100);
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).as("the log").anySatisfy(line -> assertThat(line).contains("\"message\":\"Stopped\""));
      // After start-up, the console is JSON lines, and a create's line names its request and handoff.
      List<JsonObject> json = lines.stream().filter(line -> line.startsWith("{")).map(JsonObject::new).toList();
      assertThat(json).anySatisfy(line -> {
        assertThat(line.getString("message")).startsWith("Created handoff");
        assertThat(line.getString("request_id")).isNotBlank();
        assertThat(line.getString("handoff_id")).startsWith("ho-");
        assertThat(line.getString("conversation_id")).startsWith("sigterm-");
      });
    } finally {
      baton.destroyForcibly();
      client.close();
      Await.result(clientVertx.close());
      TestServices.dropSchema(schema);
      Files.deleteIfExists(log);
    }
  }

  /** Sends creates one after the other until {@code total} have been sent or the server is gone. */
  private static void sendNext(WebClient client, List<Future<HttpResponse<Buffer>>> requests, AtomicInteger answered,
      AtomicInteger next, int total, Promise<Void> allSent) {
    int n = next.getAndIncrement();
    if (n >= total) {
      allSent.tryComplete();
      return;
    }
    Future<HttpResponse<Buffer>> request = client.post("/api/v1/handoff").timeout(30_000)
        .sendJsonObject(createBody("sigterm-" + n));
    requests.add(request);
    request.onComplete(done -> {
      if (done.succeeded()) {
        answered.incrementAndGet();
        sendNext(client, requests, answered, next, total, allSent);
      } else {
        // Refused or cut: the server is going; this sender stops.
        allSent.tryComplete();
      }
    });
  }

  private static void awaitHealthy(WebClient client, Process baton, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!baton.isAlive()) {
        throw new AssertionError("Baton exited before it answered:\n" + Files.readString(log));
      }
      Future<HttpResponse<Buffer>> health = client.get("/health").timeout(1_000).send();
      Await.result(health.otherwiseEmpty());
      if (health.succeeded() && health.result() != null && health.result().statusCode() == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Baton did not answer /health within 90 s:\n" + Files.readString(log));
  }

  /** The class path without the test classes: the process logs with the shipped logback.xml. */
  private static String mainClassPath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/"))
        .collect(java.util.stream.Collectors.joining(File.pathSeparator));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void openEventStreamsEndWithAReconnectHintWhenTheInstanceStops() throws InterruptedException {
    BatonInstance baton = BatonInstance.memory(Map.of());
    Vertx clientVertx = Vertx.vertx();
    HttpClient http = clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(baton.port));
    try {
      SseStream stream = SseStream.open(http, "/api/v1/events", Map.of());
      assertThat(stream.statusCode()).isEqualTo(200);
      stream.await(frame -> frame.event().equals("connected"), Duration.ofSeconds(10));

      Await.result(baton.app.stop());

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!stream.closed() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(stream.closed()).as("the stream is ended").isTrue();
      // The opening hint, and the closing one that tells EventSource to come back (elsewhere).
      assertThat(stream.retries()).containsExactly("3000", "3000");
    } finally {
      Await.result(http.close());
      Await.result(clientVertx.close());
      Await.result(baton.vertx.close());
    }
  }
}
