package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryDedupTest extends DedupContract {

  @Override
  protected Dedup dedup() {
    return new MemoryDedup(clock, 100);
  }

  @Override
  protected StatusTracker statuses() {
    return new MemoryStatusTracker(100);
  }

  @Test
  void anExpiredIdIsNewAgainAndMemoryStaysBounded() {
    MemoryDedup dedup = new MemoryDedup(clock, 2);
    Await.result(dedup.claim("whatsapp", "a", Duration.ofSeconds(10)));
    clock.advance(Duration.ofSeconds(11));
    assertThat(Await.result(dedup.claim("whatsapp", "a", Duration.ofSeconds(10)))).isTrue();

    Await.result(dedup.claim("whatsapp", "b", Duration.ofSeconds(10)));
    Await.result(dedup.claim("whatsapp", "c", Duration.ofSeconds(10)));
    // "a" gave way to keep at most two ids.
    assertThat(Await.result(dedup.claim("whatsapp", "a", Duration.ofSeconds(10)))).isTrue();
  }
}
