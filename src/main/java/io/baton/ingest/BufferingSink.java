package io.baton.ingest;

import io.baton.ingest.debounce.Debouncer;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * The webhook path's sink: messages are stored in the timeline first (durable), then those new to
 * it are buffered for the bot. A standby message belongs to a thread another app owns: kept, not
 * buffered for our bot. When only some could be stored, the stored ones are still buffered before
 * the failure is reported: the provider's retry finds them in the timeline (not new, so not buffered
 * again), and without this they would never reach the bot.
 */
public final class BufferingSink implements MessageSink {

  private final Function<List<InboundMessage>, Future<TimelineSink.Stored>> timeline;
  private final Debouncer windows;

  public BufferingSink(Function<List<InboundMessage>, Future<TimelineSink.Stored>> timeline, Debouncer windows) {
    this.timeline = timeline;
    this.windows = windows;
  }

  @Override
  public Future<List<InboundMessage>> acceptAll(List<InboundMessage> messages) {
    return timeline.apply(messages).compose(stored -> windows
        .addAll(stored.created().stream().filter(message -> !message.standby()).toList())
        .compose(buffered -> stored.failure() == null ? Future.succeededFuture(stored.created())
            : Future.failedFuture(stored.failure())));
  }
}
