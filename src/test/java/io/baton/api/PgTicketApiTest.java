package io.baton.api;

import io.baton.support.BatonInstance;
import java.util.Map;

class PgTicketApiTest extends TicketApiContract {

  @Override
  protected BatonInstance startBaton() {
    return BatonInstance.postgres(Map.of());
  }
}
