package io.baton.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.idempotency.IdempotencyStore.Claim;
import io.baton.support.Await;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MemoryIdempotencyStoreTest extends IdempotencyStoreContract {

  private final MemoryIdempotencyStore store = new MemoryIdempotencyStore(1_000);

  @Override
  protected IdempotencyStore store() {
    return store;
  }

  @Test
  void keepsAtMostItsCapacityForgettingTheOldestFirst() {
    MemoryIdempotencyStore small = new MemoryIdempotencyStore(3);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    for (String key : new String[] {"a", "b", "c", "d"}) {
      Await.result(small.claim("s", key, "h", now, now.plusSeconds(60), now.plusSeconds(600)));
    }
    // "a" was forgotten to make room for "d"; "b" is still held.
    assertThat(Await.result(small.claim("s", "a", "h", now, now.plusSeconds(60), now.plusSeconds(600))))
        .isInstanceOf(Claim.Claimed.class);
    assertThat(Await.result(small.claim("s", "d", "h", now, now.plusSeconds(60), now.plusSeconds(600))))
        .isInstanceOf(Claim.Running.class);
  }
}
