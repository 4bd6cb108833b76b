package io.baton.helpdesk;

import io.baton.events.Event;
import io.baton.events.PgEventLog;
import io.baton.handoff.HandoffStore;
import io.baton.storage.PgStorage;
import io.baton.support.Await;
import io.baton.support.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PgTicketRetryStoreTest extends TicketRetryStoreContract {

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
  protected TicketRetryStore retries() {
    return storage.ticketRetries();
  }

  @Override
  protected HandoffStore handoffs() {
    return storage.handoffs();
  }

  @Override
  protected List<Event> events() {
    return Await.result(PgEventLog.readAfter(storage.pool(), 0, 100_000));
  }
}
