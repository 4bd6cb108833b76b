package io.baton.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.idempotency.IdempotencyStore.Claim;
import io.baton.support.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link IdempotencyStore} does; run against PostgreSQL and memory. */
@Timeout(60)
public abstract class IdempotencyStoreContract {

  private static final String SCOPE = "test.scope";
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant LEASE = NOW.plusSeconds(60);
  private static final Instant EXPIRY = NOW.plusSeconds(86_400);

  protected abstract IdempotencyStore store();

  private static String key() {
    return "key-" + UUID.randomUUID();
  }

  private Claim claim(String key, String hash, Instant now) {
    return Await.result(store().claim(SCOPE, key, hash, now, now.plusSeconds(60), now.plusSeconds(86_400)));
  }

  @Test
  void aNewKeyIsClaimedAndThenRunning() {
    String key = key();
    assertThat(claim(key, "h1", NOW)).isInstanceOf(Claim.Claimed.class);
    assertThat(claim(key, "h1", NOW)).isInstanceOf(Claim.Running.class);
  }

  @Test
  void anotherBodyIsAMismatchWhileRunningAndAfterCompletion() {
    String key = key();
    claim(key, "h1", NOW);
    assertThat(claim(key, "h2", NOW)).isInstanceOf(Claim.Mismatch.class);
    Await.result(store().complete(SCOPE, key, 200, new JsonObject().put("a", 1)));
    assertThat(claim(key, "h2", NOW)).isInstanceOf(Claim.Mismatch.class);
  }

  @Test
  void aCompletedKeyReplaysItsAnswer() {
    String key = key();
    claim(key, "h1", NOW);
    JsonObject answer = new JsonObject().put("handoff_id", "ho-1").put("nested", new JsonObject().put("x", true));
    Await.result(store().complete(SCOPE, key, 200, answer));

    assertThat(claim(key, "h1", NOW.plusSeconds(3600))).isEqualTo(new Claim.Completed(200, answer));
  }

  @Test
  void aReleasedKeyCanBeClaimedAgain() {
    String key = key();
    claim(key, "h1", NOW);
    Await.result(store().release(SCOPE, key));
    assertThat(claim(key, "h1", NOW)).isInstanceOf(Claim.Claimed.class);
  }

  @Test
  void anExpiredKeyIsFreeForAnyBody() {
    String key = key();
    claim(key, "h1", NOW);
    Await.result(store().complete(SCOPE, key, 200, new JsonObject()));
    assertThat(claim(key, "h2", EXPIRY)).isInstanceOf(Claim.Claimed.class);
  }

  @Test
  void aRunningClaimWhoseLeaseEndedIsTakenOverOnlyByTheSameBody() {
    String key = key();
    claim(key, "h1", NOW);
    assertThat(claim(key, "h2", LEASE)).isInstanceOf(Claim.Mismatch.class);
    assertThat(claim(key, "h1", LEASE)).isInstanceOf(Claim.Claimed.class);
    assertThat(claim(key, "h1", LEASE)).isInstanceOf(Claim.Running.class);
  }

  @Test
  void keysOfOtherScopesAreIndependent() {
    String key = key();
    claim(key, "h1", NOW);
    Claim other = Await.result(store().claim("other.scope", key, "h2", NOW, LEASE, EXPIRY));
    assertThat(other).isInstanceOf(Claim.Claimed.class);
  }

  @Test
  void racingClaimsOfOneKeyHaveExactlyOneWinner() {
    String key = key();
    List<Future<Claim>> racers = IntStream.range(0, 40)
        .mapToObj(i -> store().claim(SCOPE, key, "h1", NOW, LEASE, EXPIRY))
        .toList();
    Await.result(Future.all(racers));

    assertThat(racers.stream().map(Future::result).filter(c -> c instanceof Claim.Claimed)).hasSize(1);
    assertThat(racers.stream().map(Future::result).filter(c -> c instanceof Claim.Running)).hasSize(39);
  }
}
