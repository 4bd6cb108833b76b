package io.baton.security;

import io.baton.support.BatonInstance;
import java.util.Map;

class PgChannelTenantsTest extends ChannelTenantsTest {

  @Override
  protected BatonInstance startBaton(Map<String, String> env) {
    return BatonInstance.postgres(env);
  }
}
