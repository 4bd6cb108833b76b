package io.baton.api;

import io.baton.support.BatonInstance;
import java.util.Map;

class PgOperatorApiTest extends OperatorApiContract {

  @Override
  protected BatonInstance startBaton() {
    return BatonInstance.postgres(Map.of());
  }
}
