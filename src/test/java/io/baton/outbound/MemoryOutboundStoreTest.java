package io.baton.outbound;

import io.baton.events.Event;
import io.baton.operator.OperatorStore;
import io.baton.storage.MemoryStorage;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

class MemoryOutboundStoreTest extends OutboundStoreContract {

  private MemoryStorage storage;

  @BeforeEach
  void setUp() {
    storage = new MemoryStorage();
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
    return storage.events().readAfter(0, Integer.MAX_VALUE);
  }

  @Override
  protected Future<Void> purgeExpired(Instant now) {
    return storage.purgeExpired(now);
  }
}
