package io.baton.security;

import io.baton.support.BatonInstance;
import java.util.Map;

class MemoryCrossTenantTest extends CrossTenantTest {

  @Override
  protected BatonInstance startBaton(Map<String, String> env) {
    return BatonInstance.memory(env);
  }
}
