package io.baton.api;

import io.baton.support.BatonInstance;
import java.util.Map;

class MemoryHandoffApiTest extends HandoffApiContract {

  @Override
  protected BatonInstance startBaton() {
    return BatonInstance.memory(Map.of());
  }
}
