package io.baton.security;

import io.baton.support.BatonInstance;
import java.util.Map;

class PgAuthenticationTest extends AuthenticationContract {

  @Override
  protected BatonInstance startBaton(Map<String, String> env) {
    return BatonInstance.postgres(env);
  }
}
