package io.baton.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Runs on the logging thread just before a line is made, and sets the MDC to the ids of the request
 * or message being handled there ({@link LogIds}), clearing ids left by the previous request on that
 * thread. The line captures the MDC when it is queued, so the asynchronous appender writes the right ids.
 * Threads that are not Vert.x's keep whatever MDC their code set.
 */
public final class LogIdsFilter extends TurboFilter {

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel()) || Vertx.currentContext() == null) {
      return FilterReply.NEUTRAL;
    }
    Map<String, String> ids = LogIds.current();
    for (String key : LogIds.KEYS) {
      String value = ids == null ? null : ids.get(key);
      if (value == null) {
        if (MDC.get(key) != null) {
          MDC.remove(key);
        }
      } else if (!Objects.equals(MDC.get(key), value)) {
        MDC.put(key, value);
      }
    }
    return FilterReply.NEUTRAL;
  }
}
