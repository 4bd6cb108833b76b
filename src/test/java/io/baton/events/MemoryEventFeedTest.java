package io.baton.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryEventFeedTest extends EventFeedContract {

  private MemoryEventLog log;
  private MemoryEventFeed feed;

  @BeforeEach
  void create() {
    log = new MemoryEventLog(1_000);
    feed = new MemoryEventFeed(log);
  }

  @Override
  protected EventFeed feed() {
    return feed;
  }

  @Override
  protected Event append(Event event) {
    return log.append(event);
  }

  @Test
  void eventsDroppedForCapacityCountAsPruned() {
    MemoryEventLog small = new MemoryEventLog(3);
    MemoryEventFeed smallFeed = new MemoryEventFeed(small);
    for (int i = 0; i < 5; i++) {
      small.append(event(handoff(), Instant.now()));
    }

    assertThat(Await.result(smallFeed.prunedThrough())).isEqualTo(2);
    assertThat(Await.result(smallFeed.read(0, 5, null, 10))).extracting(Event::id).containsExactly(3L, 4L, 5L);
  }
}
