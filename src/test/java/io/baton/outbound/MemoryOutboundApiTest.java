package io.baton.outbound;

import io.baton.support.BatonInstance;
import io.baton.support.MutableClock;
import java.util.Map;

class MemoryOutboundApiTest extends OutboundApiContract {

  @Override
  protected BatonInstance startBaton(Map<String, String> env, MutableClock clock) {
    return BatonInstance.memory(env, clock);
  }
}
