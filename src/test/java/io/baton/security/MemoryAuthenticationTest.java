package io.baton.security;

import io.baton.support.BatonInstance;
import java.util.Map;

class MemoryAuthenticationTest extends AuthenticationContract {

  @Override
  protected BatonInstance startBaton(Map<String, String> env) {
    return BatonInstance.memory(env);
  }
}
