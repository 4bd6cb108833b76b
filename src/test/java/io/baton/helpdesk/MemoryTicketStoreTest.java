package io.baton.helpdesk;

import io.baton.events.Event;
import io.baton.storage.MemoryStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

class MemoryTicketStoreTest extends TicketStoreContract {

  private MemoryStorage storage;

  @BeforeEach
  void setUp() {
    storage = new MemoryStorage();
  }

  @Override
  protected TicketStore store() {
    return storage.tickets();
  }

  @Override
  protected List<Event> events() {
    return storage.events().readAfter(0, Integer.MAX_VALUE);
  }
}
