package io.baton.storage;

import io.baton.config.BatonConfig.PostgresConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs the Flyway migrations in {@code db/migration}. Flyway speaks JDBC, which blocks, so it runs
 * on a worker thread, once, before any verticle serves a request.
 */
public final class Migrations {

  private Migrations() {
  }

  public static Future<MigrateResult> run(Vertx vertx, PostgresConfig config) {
    return vertx.executeBlocking(() -> flyway(config).migrate(), false);
  }

  public static Flyway flyway(PostgresConfig config) {
    PgConnectOptions options = PgStorage.connectOptions(config);
    String jdbcUrl = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    return Flyway.configure()
        .dataSource(jdbcUrl, options.getUser(), options.getPassword())
        .schemas(config.schema())
        .createSchemas(true)
        .locations("classpath:db/migration")
        .load();
  }
}
