package io.baton.handoff;

import io.baton.events.Event;
import io.baton.helpdesk.TicketStore;
import io.baton.storage.MemoryStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

class MemoryHandoffStoreTest extends HandoffStoreContract {

  private MemoryStorage storage;

  @BeforeEach
  void setUp() {
    storage = new MemoryStorage();
  }

  @Override
  protected HandoffStore store() {
    return storage.handoffs();
  }

  @Override
  protected TicketStore tickets() {
    return storage.tickets();
  }

  @Override
  protected List<Event> events() {
    return storage.events().readAfter(0, Integer.MAX_VALUE);
  }
}
