package io.baton.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One JSON object per line: time, level, logger, thread, message, the MDC's ids (request_id,
 * handoff_id, conversation_id, when the line is about them) and, for a failure, error and stack_trace.
 * Encoding through JsonObject escapes whatever a message holds, so a value can never break a line.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

  @Override
  public String doLayout(ILoggingEvent event) {
    JsonObject line = new JsonObject()
        .put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString())
        .put("level", event.getLevel().toString())
        .put("logger", event.getLoggerName())
        .put("thread", event.getThreadName())
        .put("message", event.getFormattedMessage());
    event.getMDCPropertyMap().forEach(line::put);
    IThrowableProxy failure = event.getThrowableProxy();
    if (failure != null) {
      line.put("error", failure.getClassName() + ": " + failure.getMessage())
          .put("stack_trace", ThrowableProxyUtil.asString(failure));
    }
    return line.encode() + System.lineSeparator();
  }
}
