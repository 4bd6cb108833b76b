package io.baton.outbound;

import io.baton.events.Event;
import io.baton.events.PgEventLog;
import io.baton.operator.OperatorStore;
import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.TestDatabase;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PgOutboundStoreTest extends OutboundStoreContract {

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
  protected OutboundStore outbound() {
    return storage.outbound();
  }

  @Override
  protected OperatorStore operator() {
    return storage.operator();
  }

  @Override
  protected List<Event> events() {
    return Await.result(PgEventLog.readAfter(storage.pool(), 0, 100_000));
  }

  @Override
  protected Future<Void> purgeExpired(Instant now) {
    return storage.purgeExpired(now);
  }
}
