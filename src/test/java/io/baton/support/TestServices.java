package io.baton.support;

import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.storage.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The real PostgreSQL and Redis that integration tests use: containers when a Docker engine is
 * available, else the servers named by {@code BATON_TEST_PG_URL} / {@code BATON_TEST_REDIS_URL}
 * (default: the standard local ports). A missing server fails the tests with a clear message;
 * they never skip. Each test class gets its own schema, so classes cannot see each other's rows.
 */
public final class TestServices {

  private static final String DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test";
  private static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

  private static String pgUrl;
  private static String redisUrl;

  private TestServices() {
  }

  public static synchronized String postgresUrl() {
    if (pgUrl == null) {
      String configured = System.getenv("BATON_TEST_PG_URL");
      if (configured == null && dockerAvailable()) {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
        container.start();
        configured = "postgresql://" + container.getUsername() + ":" + container.getPassword() + "@"
            + container.getHost() + ":" + container.getMappedPort(5432) + "/" + container.getDatabaseName();
      }
      pgUrl = configured != null ? configured : DEFAULT_PG_URL;
    }
    return pgUrl;
  }

  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      String configured = System.getenv("BATON_TEST_REDIS_URL");
      if (configured == null && dockerAvailable()) {
        GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        container.start();
        configured = "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
      }
      redisUrl = configured != null ? configured : DEFAULT_REDIS_URL;
    }
    return redisUrl;
  }

  /** A new, migrated schema of its own on the test database. */
  public static PostgresConfig freshSchema(int poolSize) {
    PostgresConfig config = new PostgresConfig(postgresUrl(), poolSize,
        "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16), 4);
    try {
      Migrations.flyway(config).migrate();
    } catch (RuntimeException e) {
      throw new IllegalStateException("PostgreSQL is needed for this test and is not reachable at " + postgresUrl()
          + " (set BATON_TEST_PG_URL, or start a local server): " + e.getMessage(), e);
    }
    return config;
  }

  public static void dropSchema(PostgresConfig config) {
    try (Connection connection = jdbc(config); Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop test schema " + config.schema(), e);
    }
  }

  /** Runs SQL in the schema, for a test that has to arrange what no API does yet. */
  public static void execute(PostgresConfig config, String sql) {
    try (Connection connection = jdbc(config); Statement statement = connection.createStatement()) {
      statement.execute("SET search_path TO " + config.schema());
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection jdbc(PostgresConfig config) throws SQLException {
    var options = io.baton.storage.PgStorage.connectOptions(config);
    Properties properties = new Properties();
    properties.setProperty("user", options.getUser());
    if (options.getPassword() != null) {
      properties.setProperty("password", options.getPassword());
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase(), properties);
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable notThere) {
      return false;
    }
  }
}
