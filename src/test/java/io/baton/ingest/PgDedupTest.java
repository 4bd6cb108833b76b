package io.baton.ingest;

import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The durable key behind a memory cache (the worst case: every instance has its own cache). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgDedupTest extends DedupContract {

  private PostgresConfig schema;
  private PgStorage storage;

  @BeforeAll
  void migrate() {
    schema = TestServices.freshSchema(4);
  }

  @AfterAll
  void drop() {
    TestServices.dropSchema(schema);
  }

  @Override
  protected Dedup dedup() {
    storage = PgStorage.connect(vertx, schema);
    // A cache per claim: only the database can tell duplicates apart.
    return new Dedup() {
      private final PgDedup durable = new PgDedup(new MemoryDedup(clock, 1), storage.pool(), clock);

      @Override
      public io.vertx.core.Future<Boolean> claim(String channel, String id, java.time.Duration ttl) {
        return new PgDedup(new MemoryDedup(clock, 1), storage.pool(), clock).claim(channel, id, ttl);
      }

      @Override
      public io.vertx.core.Future<Void> release(String channel, String id) {
        return durable.release(channel, id);
      }

      @Override
      public String cacheType() {
        return durable.cacheType();
      }
    };
  }

  @Override
  protected StatusTracker statuses() {
    return new MemoryStatusTracker(100);
  }

  @Override
  protected void closeStores() {
    Await.result(storage.close());
  }
}
