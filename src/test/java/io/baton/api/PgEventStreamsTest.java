package io.baton.api;

import io.baton.support.BatonInstance;

class PgEventStreamsTest extends EventStreamsContract {

  @Override
  protected BatonInstance startBaton() {
    return BatonInstance.postgres(ENV);
  }
}
