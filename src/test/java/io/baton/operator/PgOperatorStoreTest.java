package io.baton.operator;

import io.baton.events.Event;
import io.baton.events.PgEventLog;
import io.baton.handoff.HandoffStore;
import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PgOperatorStoreTest extends OperatorStoreContract {

  private static TestDatabase database;
  private static PgStorage storage;
  /** A second pool on the same schema: what another Baton instance would use. */
  private static PgStorage other;

  @BeforeAll
  static void setUp() {
    database = new TestDatabase();
    storage = database.storage;
    other = database.connect();
  }

  @AfterAll
  static void tearDown() {
    database.close();
  }

  @Override
  protected OperatorStore store() {
    return storage.operator();
  }

  @Override
  protected HandoffStore handoffs() {
    return storage.handoffs();
  }

  @Override
  protected OperatorStore otherInstance() {
    return other.operator();
  }

  @Override
  protected List<Event> events() {
    return Await.result(PgEventLog.readAfter(storage.pool(), 0, 100_000));
  }
}
