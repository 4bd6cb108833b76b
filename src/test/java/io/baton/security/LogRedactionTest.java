package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.SseStream;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Keys and tokens, accepted or refused, in headers or in the query, never reach a log line. */
@Timeout(60)
class LogRedactionTest {

  @Test
  void credentialsNeverAppearInTheLogs() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(logging);
    captured.start();
    Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
    List<Logger> raised = List.of(logging.getLogger("io.baton"), logging.getLogger("io.vertx"), root);
    List<Level> before = raised.stream().map(Logger::getLevel).toList();
    raised.forEach(logger -> logger.setLevel(Level.DEBUG));
    root.addAppender(captured);
    List<String> secrets = new ArrayList<>();
    try (BatonInstance baton = BatonInstance.memory(Credentials.env("default"))) {
      String platformKey = Credentials.key("default", Role.PLATFORM);
      String agentToken = Credentials.agentToken(baton.vertx, "default");
      String foreignToken = Credentials.token(baton.vertx, Credentials.claims("default", "agent").put("aud", "other"));
      String wrongKey = "key-acme-guessed-wrong-0000";
      secrets.addAll(List.of(platformKey, agentToken, foreignToken, wrongKey));

      JsonObject handoff = new JsonObject().put("conversation_id", "conv-logs").put("user_id", "u")
          .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user").put("content", "hi")));
      Await.result(baton.client.post("/api/v1/handoff").putHeader("Authorization", "Bearer " + platformKey)
          .sendJsonObject(handoff));
      Await.result(baton.client.get("/api/v1/handoffs").putHeader("X-API-Key", wrongKey).send());
      Await.result(baton.client.get("/api/v1/handoffs").putHeader("Authorization", "Bearer " + foreignToken).send());
      Await.result(baton.client.get("/api/v1/agents").addQueryParam("access_token", agentToken).send());
      Await.result(baton.client.get("/api/v1/nowhere").addQueryParam("access_token", agentToken).send());
      // A malformed body behind a valid key: the failure path logs too.
      Await.result(baton.client.post("/api/v1/handoff").putHeader("X-API-Key", platformKey)
          .putHeader("Content-Type", "application/json").sendBuffer(io.vertx.core.buffer.Buffer.buffer("{")));
      HttpClient http = baton.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(baton.port));
      try (SseStream stream = SseStream.open(http, "/api/v1/events?access_token=" + agentToken, Map.of());
          SseStream refused = SseStream.open(http, "/api/v1/events?access_token=" + foreignToken, Map.of())) {
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(401);
      } finally {
        Await.result(http.close());
      }
    } finally {
      root.detachAppender(captured);
      for (int i = 0; i < raised.size(); i++) {
        raised.get(i).setLevel(before.get(i));
      }
    }

    assertThat(captured.list).as("the run logged something to check").isNotEmpty();
    for (ILoggingEvent event : captured.list) {
      String line = event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      for (String secret : secrets) {
        assertThat(line).as("log line of %s", event.getLoggerName()).doesNotContain(secret);
        for (String part : secret.split("\\.")) {
          if (part.length() > 20) {
            assertThat(line).as("log line of %s", event.getLoggerName()).doesNotContain(part);
          }
        }
      }
    }
  }

  @Test
  void redactionMasksQueryTokensAndCredentialHeaders() {
    assertThat(Redaction.uri("/api/v1/events?queue=vip&access_token=abc.def.ghi&types=x"))
        .isEqualTo("/api/v1/events?queue=vip&access_token=[redacted]&types=x");
    assertThat(Redaction.uri("/api/v1/events?ACCESS_TOKEN=abc")).isEqualTo("/api/v1/events?ACCESS_TOKEN=[redacted]");
    assertThat(Redaction.uri("/api/v1/events?my_access_token=keep")).isEqualTo("/api/v1/events?my_access_token=keep");
    assertThat(Redaction.uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=42"))
        .isEqualTo("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=42");
    assertThat(Redaction.header("Authorization", "Bearer x")).isEqualTo("[redacted]");
    assertThat(Redaction.header("x-api-key", "k")).isEqualTo("[redacted]");
    assertThat(Redaction.header("Accept", "text/event-stream")).isEqualTo("text/event-stream");
  }
}
