package io.baton.api;

import io.baton.support.BatonInstance;

class MemoryEventStreamsTest extends EventStreamsContract {

  @Override
  protected BatonInstance startBaton() {
    return BatonInstance.memory(ENV);
  }
}
