package io.baton.support;

import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.storage.PgStorage;
import io.vertx.core.Vertx;

/**
 * A fresh, migrated schema on the test PostgreSQL with Baton's stores open on it, for a store test
 * class; {@link #close()} drops the schema. {@link #connect()} opens another set of stores on the
 * same schema, as a second Baton instance would.
 */
public final class TestDatabase implements AutoCloseable {

  public final Vertx vertx = Vertx.vertx();
  public final PostgresConfig config = TestServices.freshSchema(8);
  public final PgStorage storage = connect();

  public PgStorage connect() {
    return PgStorage.connect(vertx, config);
  }

  @Override
  public void close() {
    Await.result(vertx.close());
    TestServices.dropSchema(config);
  }
}
