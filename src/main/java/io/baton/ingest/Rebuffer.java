package io.baton.ingest;

import io.baton.ingest.debounce.Debouncer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers for the bot the webhook messages stored but never buffered: buffering failed after the
 * store (Redis down, a timeout) or the process died in between. Each round (run by a
 * {@link io.baton.downstream.DueWorkVerticle} every {@code ingest.rebuffer.every_ms}, again at once
 * after a full one) claims up to {@link #MARKS_PER_ROUND} marks older than {@code after} (under a
 * lease of {@code after}: another instance does not take them meanwhile), adds their messages to the
 * debounce buffer, then removes the marks. A round cut short keeps its lease: another instance takes
 * its marks when it ends.
 *
 * <p>At least once: if the marks cannot be removed after the messages were buffered (or this
 * instance dies in between), the lease ends and the messages are buffered again; so is a message
 * whose webhook buffered it later than {@code after}. The bot can tell: the messages keep their
 * provider ids.
 */
public final class Rebuffer {

  private static final Logger LOG = LoggerFactory.getLogger(Rebuffer.class);
  public static final int MARKS_PER_ROUND = 200;

  private final TimelineSink timeline;
  private final Debouncer debouncer;
  private final IngestStats stats;
  private final Duration after;

  public Rebuffer(TimelineSink timeline, Debouncer debouncer, IngestStats stats, Duration after) {
    this.timeline = timeline;
    this.debouncer = debouncer;
    this.stats = stats;
    this.after = after;
  }

  /** One round; answers how many marks it claimed. Never fails: a failure is logged, the next round retries. */
  public Future<Integer> round() {
    return timeline.claimAwaiting(after, after, MARKS_PER_ROUND)
        .compose(claimed -> rebuffer(claimed).map(claimed.size()))
        // Past the lease another instance may take the same marks: no point waiting longer.
        .timeout(after.toMillis(), TimeUnit.MILLISECONDS)
        .recover(failure -> {
          LOG.warn("Re-buffering messages awaiting the bot failed; the next round retries", failure);
          return Future.succeededFuture(0);
        });
  }

  private Future<Void> rebuffer(JsonArray claimed) {
    if (claimed.isEmpty()) {
      return Future.succeededFuture();
    }
    List<InboundMessage> messages = new ArrayList<>();
    List<Long> marks = new ArrayList<>();
    for (Object item : claimed) {
      JsonObject awaiting = (JsonObject) item;
      marks.add(awaiting.getLong("mark"));
      InboundMessage message = message(awaiting);
      if (message != null) {
        messages.add(message);
      }
    }
    // In the order claimed: oldest first, each conversation's in timeline order.
    return debouncer.addAll(messages).compose(buffered -> {
      stats.rebuffered.addAndGet(messages.size());
      LOG.info("{} stored message(s) that had not reached the bot's buffer are buffered now", messages.size());
      return timeline.cleared(marks);
    });
  }

  /** The message as the webhook parsed it (its stored media); null when there is nothing to buffer. */
  private static InboundMessage message(JsonObject awaiting) {
    JsonObject media = awaiting.getJsonObject("media");
    if (media == null) {
      LOG.warn("The message of mark {} awaits the bot but is no longer stored; its mark is dropped",
          awaiting.getLong("mark"));
      return null;
    }
    try {
      return InboundMessage.fromJson(media);
    } catch (RuntimeException unreadable) {
      LOG.error("Message {} of conversation {} awaits the bot but its stored form cannot be read; its mark is dropped",
          awaiting.getString("message_id"), awaiting.getString("conversation_id"), unreadable);
      return null;
    }
  }

}
