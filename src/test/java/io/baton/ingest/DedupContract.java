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
  void aListIsClaimedInOrderAndAnIdRepeatedWithinItOnce() {
    String taken = id();
    String fresh = id();
    Await.result(dedup.claim("whatsapp", taken, Duration.ofDays(7)));

    List<Boolean> claimed = Await.result(dedup.claimAll("whatsapp", List.of(fresh, taken, fresh), Duration.ofDays(7)));

    assertThat(claimed).containsExactly(true, false, false);
  }

  @Test
  void racingListsOfOverlappingIdsClaimEachIdOnce() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(id());
    }
    List<Future<List<Boolean>>> racers = new ArrayList<>();
    for (int racer = 0; racer < 8; racer++) {
      // Each racer claims an overlapping window of the ids, in its own order.
      List<String> window = new ArrayList<>(ids.subList(racer, racer + 13));
      java.util.Collections.shuffle(window);
      racers.add(dedup.claimAll("whatsapp", window, Duration.ofDays(7)));
    }
    Await.result(Future.all(racers));

    long wins = racers.stream().flatMap(racer -> racer.result().stream()).filter(Boolean::booleanValue).count();
    assertThat(wins).isEqualTo(ids.size());
  }

  @Test
  void releasedListsCanBeTakenAgain() {
    List<String> ids = List.of(id(), id());
    Await.result(dedup.claimAll("whatsapp", ids, Duration.ofDays(7)));
    Await.result(dedup.releaseAll("whatsapp", ids));

    assertThat(Await.result(dedup.claimAll("whatsapp", ids, Duration.ofDays(7)))).containsExactly(true, true);
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
