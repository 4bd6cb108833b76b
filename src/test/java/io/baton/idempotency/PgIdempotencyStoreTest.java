package io.baton.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.idempotency.IdempotencyStore.Claim;
import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PgIdempotencyStoreTest extends IdempotencyStoreContract {

  private static TestDatabase database;
  private static PgStorage storage;

  @BeforeAll
  static void setUp() {
    database = new TestDatabase();
    storage = database.storage;
  }

  @AfterAll
  static void tearDown() {
    database.close();
  }

  @Override
  protected IdempotencyStore store() {
    return storage.idempotency();
  }

  @Test
  void purgeDeletesOnlyExpiredKeys() {
    PgIdempotencyStore store = (PgIdempotencyStore) storage.idempotency();
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    Await.result(store.claim("purge", "old", "h", now, now.plusSeconds(1), now.plusSeconds(10)));
    Await.result(store.complete("purge", "old", 200, new JsonObject()));
    Await.result(store.claim("purge", "new", "h", now, now.plusSeconds(1), now.plusSeconds(1000)));

    int purged = Await.result(store.purgeExpired(now.plusSeconds(100)));

    assertThat(purged).isGreaterThanOrEqualTo(1);
    assertThat(Await.result(store.claim("purge", "new", "h", now, now.plusSeconds(1), now.plusSeconds(1000))))
        .isInstanceOf(Claim.Running.class);
  }
}
