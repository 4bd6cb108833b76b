package io.baton.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches the console to JSON lines once the configuration is known (logback starts before it, with
 * text), and sets the access log on or off. Works on the appender logback.xml declares: ASYNC on the
 * root logger; without it (tests' logging) the format stays as configured.
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
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    if (!(root.getAppender("ASYNC") instanceof AsyncAppender text)) {
      return;
    }
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
    // An AsyncAppender takes one appender for its life: a new one, with the same queue settings,
    // replaces the text one on the root logger; stopping the old one flushes what it holds.
    AsyncAppender lines = new AsyncAppender();
    lines.setContext(context);
    lines.setName("ASYNC_JSON");
    lines.setQueueSize(text.getQueueSize());
    lines.setDiscardingThreshold(text.getDiscardingThreshold());
    lines.setNeverBlock(text.isNeverBlock());
    lines.addAppender(console);
    lines.start();
    root.addAppender(lines);
    root.detachAppender(text);
    text.stop();
  }
}
