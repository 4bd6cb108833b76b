package io.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link Dedup} and {@link StatusTracker} promises, run against each implementation. */
@Timeout(60)
public abstract class DedupContract {

  protected Vertx vertx;
  protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Dedup dedup;
  private StatusTracker statuses;

  protected abstract Dedup dedup();

  protected abstract StatusTracker statuses();

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    dedup = dedup();
    statuses = statuses();
  }

  @AfterEach
  void close() {
    closeStores();
    Await.result(vertx.close());
  }

  protected void closeStores() {
  }

  private static String id() {
    return "wamid." + UUID.randomUUID();
  }

  @Test
  void theFirstClaimWinsAndRepeatsAreDuplicates() {
    String id = id();
    assertThat(Await.result(dedup.claim("whatsapp", id, Duration.ofDays(7)))).isTrue();
    assertThat(Await.result(dedup.claim("whatsapp", id, Duration.ofDays(7)))).isFalse();
    // The same id on another channel is another message.
    assertThat(Await.result(dedup.claim("messenger", id, Duration.ofDays(7)))).isTrue();
  }

  @Test
  void concurrentClaimsOfOneIdHaveOneWinner() {
    String id = id();
    List<Future<Boolean>> claims = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      claims.add(dedup.claim("whatsapp", id, Duration.ofDays(7)));
    }
    Await.result(Future.all(claims));
    assertThat(claims.stream().filter(Future::result).count()).isEqualTo(1);
  }

  @Test
  void aReleasedClaimCanBeTakenAgain() {
    String id = id();
    Await.result(dedup.claim("whatsapp", id, Duration.ofDays(7)));
    Await.result(dedup.release("whatsapp", id));
    assertThat(Await.result(dedup.claim("whatsapp", id, Duration.ofDays(7)))).isTrue();
  }

  @Test
  void aStatusOnlyMovesForward() {
    String id = id();
    Duration ttl = Duration.ofDays(7);
    assertThat(Await.result(statuses.advance(status(id, "sent"), ttl))).isTrue();
    assertThat(Await.result(statuses.advance(status(id, "read"), ttl))).isTrue();
    assertThat(Await.result(statuses.advance(status(id, "delivered"), ttl))).isFalse();
    assertThat(Await.result(statuses.advance(status(id, "read"), ttl))).isFalse();
    assertThat(Await.result(statuses.advance(status(id, "failed"), ttl))).isTrue();
  }

  private static StatusUpdate status(String id, String status) {
    return new StatusUpdate("whatsapp", "1", id, status, "1650", Instant.EPOCH, null);
  }
}
