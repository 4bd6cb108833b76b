package io.baton.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogLayoutTest {

  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("io.baton.Example");

  private JsonObject layout(LoggingEvent event) {
    JsonLogLayout layout = new JsonLogLayout();
    layout.setContext(context);
    layout.start();
    String line = layout.doLayout(event);
    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    return new JsonObject(line);
  }

  @Test
  void aLineIsOneJsonObjectWithTheIdsAndAMessageThatCannotBreakIt() {
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO, "created {}\n\"forged\": {}",
        null, new Object[] {"ho-1", "}"});
    event.setMDCPropertyMap(Map.of("request_id", "req-1", "handoff_id", "ho-1", "conversation_id", "c-1"));

    JsonObject json = layout(event);

    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("logger")).isEqualTo("io.baton.Example");
    assertThat(json.getString("message")).isEqualTo("created ho-1\n\"forged\": }");
    assertThat(json.getString("request_id")).isEqualTo("req-1");
    assertThat(json.getString("handoff_id")).isEqualTo("ho-1");
    assertThat(json.getString("conversation_id")).isEqualTo("c-1");
    assertThat(json.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.containsKey("error")).isFalse();
  }

  @Test
  void aFailureCarriesItsClassMessageAndStack() {
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.WARN, "it failed", new IllegalStateException("boom"),
        null);
    event.setMDCPropertyMap(Map.of());

    JsonObject json = layout(event);

    assertThat(json.getString("error")).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(json.getString("stack_trace")).contains("JsonLogLayoutTest");
  }
}
