package io.baton.support;

import io.baton.BatonApp;
import io.baton.config.BatonConfig;
import io.baton.config.BatonConfig.PostgresConfig;
import io.baton.ops.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A whole Baton, started the way {@code BatonApp.main} starts it (shipped conf/baton.yaml plus
 * BATON_ overrides), on a random port, with a web client pointed at it.
 */
public final class BatonInstance implements AutoCloseable {

  public final Vertx vertx;
  public final BatonApp app;
  public final WebClient client;
  public final int port;
  private final PostgresConfig schema;
  private final boolean ownsSchema;

  private BatonInstance(Vertx vertx, BatonApp app, int port, PostgresConfig schema, boolean ownsSchema) {
    this.vertx = vertx;
    this.app = app;
    this.port = port;
    this.schema = schema;
    this.ownsSchema = ownsSchema;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  public static BatonInstance memory(Map<String, String> env) {
    return memory(env, Clock.systemUTC());
  }

  /** With a clock the test moves (windows, retry backoff). */
  public static BatonInstance memory(Map<String, String> env, Clock clock) {
    return start(env, null, false, clock);
  }

  /** Baton on a fresh schema of the test PostgreSQL, dropped on close. */
  public static BatonInstance postgres(Map<String, String> env) {
    return postgres(env, Clock.systemUTC());
  }

  public static BatonInstance postgres(Map<String, String> env, Clock clock) {
    return postgres(TestServices.freshSchema(8), env, true, clock);
  }

  /**
   * Another Baton on the schema of a running one, as a second instance behind a load balancer
   * would be; the schema stays when this one closes.
   */
  public static BatonInstance postgresOn(PostgresConfig schema, Map<String, String> env) {
    return postgresOn(schema, env, Clock.systemUTC());
  }

  public static BatonInstance postgresOn(PostgresConfig schema, Map<String, String> env, Clock clock) {
    return postgres(schema, env, false, clock);
  }

  private static BatonInstance postgres(PostgresConfig schema, Map<String, String> env, boolean ownsSchema,
      Clock clock) {
    Map<String, String> withDb = new HashMap<>(env);
    withDb.put("BATON_STORAGE_MODE", "postgres");
    withDb.put("BATON_STORAGE_POSTGRES_URL", schema.url());
    withDb.put("BATON_STORAGE_POSTGRES_SCHEMA", schema.schema());
    withDb.put("BATON_STORAGE_POSTGRES_POOL_SIZE", "8");
    return start(withDb, schema, ownsSchema, clock);
  }

  private static BatonInstance start(Map<String, String> env, PostgresConfig schema, boolean ownsSchema,
      Clock clock) {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("BATON_HTTP_PORT", "0");
    all.putIfAbsent("BATON_HTTP_INSTANCES", "2");
    BatonConfig config = BatonConfig.from(shippedConfig(), all);
    // As BatonApp.main does: a registry of its own, and Vert.x recording HTTP requests into it.
    Metrics metrics = new Metrics();
    Vertx vertx = Metrics.vertx(metrics);
    BatonApp app = new BatonApp(vertx, config, clock, metrics);
    int port = Await.result(app.start());
    return new BatonInstance(vertx, app, port, schema, ownsSchema);
  }

  public static JsonObject shippedConfig() {
    try {
      String yaml = Files.readString(Path.of(BatonConfig.DEFAULT_PATH));
      Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
      return new JsonObject(Json.encode(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PostgresConfig schema() {
    return schema;
  }

  @Override
  public void close() {
    client.close();
    Await.result(app.stop());
    Await.result(vertx.close());
    if (ownsSchema) {
      TestServices.dropSchema(schema);
    }
  }
}
