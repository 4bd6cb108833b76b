package io.baton.ingest;

import io.baton.ingest.debounce.Debouncer;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook path's sink: messages are stored in the timeline first (durable), then those new to
 * it are buffered for the bot. A standby message belongs to a thread another app owns: kept, not
 * buffered for our bot. When only some could be stored, the stored ones are still buffered before
 * the failure is reported: the provider's retry finds them in the timeline (not new, so not buffered
 * again), and without this they would never reach the bot.
 *
 * <p>Each message to be buffered is stored with a mark "awaiting the bot's buffer"; once the buffer
 * has it, the marks go, in one command that the webhook's answer does not wait for (a lost removal
 * only means the sweeper buffers the message again: at least once). If buffering fails, the marks
 * stay for the sweeper ({@link Rebuffer}).
 *
 * <p>With {@code answerBeforeBuffered} (the Redis buffer) the answer does not wait for the buffer
 * either: the messages are durable and marked once stored, and the buffer's round trips are off the
 * answer's time. Without it (the memory buffer, which answers at once) a buffering failure fails the
 * webhook: the memory buffer refuses when full, and that refusal (503) is what slows the provider down.
 */
public final class BufferingSink implements MessageSink {

  private static final Logger LOG = LoggerFactory.getLogger(BufferingSink.class);

  private final Function<List<InboundMessage>, Future<TimelineSink.Stored>> timeline;
  private final Debouncer windows;
  private final Function<List<Long>, Future<Void>> cleared;
  private final boolean answerBeforeBuffered;

  /** {@code cleared}: removes awaiting-the-bot marks, those of messages now buffered. */
  public BufferingSink(Function<List<InboundMessage>, Future<TimelineSink.Stored>> timeline, Debouncer windows,
      Function<List<Long>, Future<Void>> cleared, boolean answerBeforeBuffered) {
    this.timeline = timeline;
    this.windows = windows;
    this.cleared = cleared;
    this.answerBeforeBuffered = answerBeforeBuffered;
  }

  @Override
  public Future<List<InboundMessage>> acceptAll(List<InboundMessage> messages) {
    return timeline.apply(messages).compose(stored -> {
      List<InboundMessage> forBot = stored.created().stream().filter(message -> !message.standby()).toList();
      // The marks are exactly those of forBot: a message is marked when new and not standby.
      Future<Void> buffered = windows.addAll(forBot).onSuccess(done -> clear(stored.marks()));
      Future<List<InboundMessage>> answer = stored.failure() == null ? Future.succeededFuture(stored.created())
          : Future.failedFuture(stored.failure());
      if (!answerBeforeBuffered) {
        return buffered.compose(done -> answer);
      }
      buffered.onFailure(failure -> LOG.warn("{} stored message(s) could not be buffered for the bot now; the"
          + " sweeper buffers them later", forBot.size(), failure));
      return answer;
    });
  }

  private void clear(List<Long> marks) {
    Future<Void> clearing;
    try {
      clearing = cleared.apply(marks);
    } catch (RuntimeException failure) {
      clearing = Future.failedFuture(failure);
    }
    clearing.onFailure(failure -> LOG.warn("The awaiting-the-bot marks of {} buffered message(s) could not be"
        + " removed; the sweeper buffers them again", marks.size(), failure));
  }
}
