package io.baton.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.AppenderAttachable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches the console to JSON lines once the configuration is known (logback starts before it, with
 * text), and sets the access log on or off. Works on the appenders logback.xml declares: ASYNC on the
 * root logger, with STDOUT behind it.
 */
public final class LogFormat {

  /** One line per answered HTTP request, at INFO, when observability.access_log is on. */
  public static final String ACCESS_LOGGER = "io.baton.access";

  private LogFormat() {
  }

  public static void apply(boolean json, boolean accessLog) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.getLogger(ACCESS_LOGGER).setLevel(accessLog ? Level.INFO : Level.OFF);
    if (!json) {
      return;
    }
    Appender<ILoggingEvent> async = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
    if (!(async instanceof AppenderAttachable<?> attachable)) {
      return;
    }
    @SuppressWarnings("unchecked")
    AppenderAttachable<ILoggingEvent> behind = (AppenderAttachable<ILoggingEvent>) attachable;
    Appender<ILoggingEvent> text = behind.getAppender("STDOUT");
    JsonLogLayout layout = new JsonLogLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT_JSON");
    console.setEncoder(encoder);
    console.start();
    behind.addAppender(console);
    if (text != null) {
      behind.detachAppender(text);
      text.stop();
    }
  }
}
