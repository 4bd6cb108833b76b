package io.baton.api;

import io.baton.support.BatonInstance;
import java.util.Map;

class MemoryTicketApiTest extends TicketApiContract {

  @Override
  protected BatonInstance startBaton() {
    return BatonInstance.memory(Map.of());
  }
}
