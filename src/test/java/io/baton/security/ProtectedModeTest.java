package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.baton.api.HttpLimits;
import io.baton.api.HttpVerticle;
import io.baton.api.StreamLimits;
import io.baton.config.BatonConfig;
import io.baton.config.BatonConfig.HttpConfig;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * No credentials configured: the API answers callers on this machine only. A remote caller is played
 * by a gatekeeper whose peer check says "not this machine", since tests may only reach loopback.
 */
@Timeout(30)
class ProtectedModeTest {

  private Vertx vertx;
  private WebClient client;
  private final ConcurrentLinkedQueue<SocketAddress> peersSeen = new ConcurrentLinkedQueue<>();

  private void startHttp(Predicate<SocketAddress> onThisMachine, SecurityConfig security) {
    vertx = Vertx.vertx();
    BatonConfig shipped = BatonConfig.from(BatonInstance.shippedConfig(), Map.of());
    Gatekeeper gatekeeper = Gatekeeper.withPeerCheck(vertx, security, peer -> {
      peersSeen.add(peer);
      return onThisMachine.test(peer);
    });
    HttpVerticle http = new HttpVerticle(new HttpConfig("127.0.0.1", 0, 1, 262_144, 3_145_728, 8_192, 4_096,
        Duration.ofMillis(300)), shipped.sse(), new StreamLimits(1, 1), HttpLimits.of(shipped, null), gatekeeper);
    Await.result(gatekeeper.start());
    Await.result(vertx.deployVerticle(http));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(http.actualPort()));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aRemoteCallerIsForbiddenWithAnExplanation() {
    startHttp(peer -> false, SecurityConfig.from(new JsonObject()));
    ContractCheck contract = new ContractCheck(vertx);

    HttpResponse<Buffer> response = contract.validate("listHandoffs",
        Await.result(client.get("/api/v1/handoffs").send()));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("detail"))
        .contains("protected mode").contains("security.api_keys").contains("security.jwt");
  }

  @Test
  void forwardingHeadersCannotMakeARemoteCallerLocal() {
    startHttp(peer -> false, SecurityConfig.from(new JsonObject()));

    HttpResponse<Buffer> response = Await.result(client.get("/api/v1/handoffs")
        .putHeader("X-Forwarded-For", "127.0.0.1").putHeader("Forwarded", "for=127.0.0.1")
        .putHeader("X-Real-IP", "127.0.0.1").send());

    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void theCheckIsMadeOnTheSocketsAddressNotOnHeaders() {
    startHttp(PeerAddresses::isLoopback, SecurityConfig.from(new JsonObject()));

    HttpResponse<Buffer> response = Await.result(client.get("/api/v1/handoffs")
        .putHeader("X-Forwarded-For", "203.0.113.9").send());

    // Admitted (no capability runs here, hence 503): the forwarded address was not looked at.
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(peersSeen).isNotEmpty().allMatch(peer -> peer.hostAddress().equals("127.0.0.1"));
  }

  @Test
  void publicRoutesAndTheContractStayOpenToRemoteCallers() {
    startHttp(peer -> false, SecurityConfig.from(new JsonObject()));

    assertThat(Await.result(client.get("/openapi.yaml").send()).statusCode()).isEqualTo(200);
    // A webhook keeps its own signature check: unsigned is 401 from that check, not 403 from protected mode.
    HttpResponse<Buffer> webhook = Await.result(client.post("/webhooks/whatsapp")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}")));
    assertThat(webhook.statusCode()).isNotEqualTo(403);
    assertThat(webhook.bodyAsString()).doesNotContain("protected mode");
  }

  @Test
  void withCredentialsConfiguredLoopbackCallersNeedThemToo() {
    JsonObject keys = new JsonObject().put("bot", new JsonObject()
        .put("sha256", ApiKeys.hashHex("a-key-for-the-bot-123")).put("role", "platform").put("tenant", "default"));
    startHttp(PeerAddresses::isLoopback, SecurityConfig.from(new JsonObject().put("api_keys", keys)));

    assertThat(Await.result(client.get("/api/v1/handoffs").send()).statusCode()).isEqualTo(401);
  }

  @Test
  void aFreshBatonSaysSoAtStartUpAndServesLoopbackWithoutCredentials() {
    vertx = Vertx.vertx(); // closed after the test like the others'
    ListAppender<ILoggingEvent> captured = capture();
    try (BatonInstance baton = BatonInstance.memory(Map.of())) {
      HttpResponse<Buffer> response = Await.result(baton.client.get("/api/v1/handoffs").send());
      assertThat(response.statusCode()).isEqualTo(200);
    } finally {
      release(captured);
    }
    assertThat(captured.list).anySatisfy(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage()).contains("PROTECTED MODE").contains("security.api_keys");
    });
  }

  @Test
  void withCredentialsConfiguredNothingIsSaidAboutProtectedMode() {
    vertx = Vertx.vertx();
    ListAppender<ILoggingEvent> captured = capture();
    try (BatonInstance baton = BatonInstance.memory(Credentials.env("default"))) {
      assertThat(baton.port).isPositive();
    } finally {
      release(captured);
    }
    assertThat(captured.list).noneMatch(event -> event.getFormattedMessage().contains("PROTECTED MODE"));
  }

  private static ListAppender<ILoggingEvent> capture() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(logging);
    captured.start();
    logging.getLogger("io.baton").addAppender(captured);
    return captured;
  }

  private static void release(ListAppender<ILoggingEvent> captured) {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.baton").detachAppender(captured);
  }
}
