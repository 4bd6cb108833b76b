package io.baton.helpdesk;

import io.baton.events.Event;
import io.baton.handoff.HandoffStore;
import io.baton.storage.MemoryStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

class MemoryTicketRetryStoreTest extends TicketRetryStoreContract {

  private MemoryStorage storage;

  @BeforeEach
  void setUp() {
    storage = new MemoryStorage();
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
    return storage.events().readAfter(0, Integer.MAX_VALUE);
  }
}
