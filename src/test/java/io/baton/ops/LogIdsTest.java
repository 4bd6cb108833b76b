package io.baton.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Concurrent requests on the same event loops: every log line, on the HTTP side and on the consuming
 * side of the bus, carries the ids of its own request and never another's.
 */
@Timeout(60)
class LogIdsTest {

  private record Line(String logger, String message, Map<String, String> mdc) {
  }

  /** Keeps every line with the MDC it had when it was logged, on the logging thread. */
  private static final class Capture extends AppenderBase<ILoggingEvent> {
    final List<Line> lines = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(new Line(event.getLoggerName(), event.getFormattedMessage(), Map.copyOf(event.getMDCPropertyMap())));
    }
  }

  @Test
  void concurrentRequestsLogTheirOwnIdsOnBothSidesOfTheBus() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger access = logging.getLogger(LogFormat.ACCESS_LOGGER);
    Logger bus = logging.getLogger("io.baton.bus.BusHandlers");
    Level accessBefore = access.getLevel();
    Level busBefore = bus.getLevel();
    Capture capture = new Capture();
    capture.setContext(logging);
    capture.start();
    root.addAppender(capture);
    access.setLevel(Level.INFO);
    bus.setLevel(Level.DEBUG);
    try (BatonInstance baton = BatonInstance.memory(Map.of("BATON_HTTP_INSTANCES", "2"))) {
      int requests = 40;
      List<Future<HttpResponse<Buffer>>> sent = IntStream.range(0, requests).mapToObj(i -> baton.client
              .post("/api/v1/handoff")
              .putHeader("X-Request-Id", "req-logids-" + i)
              .sendJsonObject(new JsonObject().put("conversation_id", "conv-logids-" + i).put("user_id", "u")
                  .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user")
                      .put("content", "a human please")))))
          .toList();
      Await.result(Future.all(sent));
      Map<String, String> handoffOf = new HashMap<>();
      for (int i = 0; i < requests; i++) {
        HttpResponse<Buffer> response = sent.get(i).result();
        assertThat(response.statusCode()).isEqualTo(200);
        handoffOf.put("req-logids-" + i, response.bodyAsJsonObject().getString("handoff_id"));
      }

      for (int n = 0; n < requests; n++) {
        int i = n;
        String requestId = "req-logids-" + i;
        List<Line> own = capture.lines.stream().filter(l -> requestId.equals(l.mdc().get("request_id"))).toList();
        assertThat(own).as("lines of %s", requestId)
            .anySatisfy(l -> assertThat(l.logger()).isEqualTo(LogFormat.ACCESS_LOGGER))
            .anySatisfy(l -> assertThat(l.message()).isEqualTo("Handling handoff.cmd.create"));
        assertThat(own).as("ids of %s", requestId).allSatisfy(l -> {
          assertThat(l.mdc().get("conversation_id")).isEqualTo("conv-logids-" + i);
          if (l.mdc().containsKey("handoff_id")) {
            assertThat(l.mdc().get("handoff_id")).isEqualTo(handoffOf.get(requestId));
          }
        });
        assertThat(own).filteredOn(l -> l.logger().equals(LogFormat.ACCESS_LOGGER)).singleElement()
            .satisfies(l -> {
              assertThat(l.message()).startsWith("POST /api/v1/handoff 200");
              assertThat(l.mdc().get("handoff_id")).isEqualTo(handoffOf.get(requestId));
            });
      }
      // A conversation's id never turns up on another request's line.
      assertThat(capture.lines).allSatisfy(l -> {
        String requestId = l.mdc().get("request_id");
        String conversationId = l.mdc().get("conversation_id");
        if (requestId != null && requestId.startsWith("req-logids-") && conversationId != null) {
          assertThat(conversationId).isEqualTo(requestId.replace("req-", "conv-"));
        }
      });
    } finally {
      root.detachAppender(capture);
      access.setLevel(accessBefore);
      bus.setLevel(busBefore);
    }
  }
}
