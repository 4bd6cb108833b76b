package io.baton.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code openapi.yaml}, as served to clients and as read by the router.
 *
 * <p>The contract declares error answers as {@code application/problem+json}, which they are.
 * vertx-openapi 5.0.8 accepts only a fixed list of media types and refuses that one, although it
 * is plain JSON; so the router's copy reads it as {@code application/json}. Event streams are
 * declared as {@code text/event-stream}, refused too; the router's copy reads them as
 * {@code text/plain}, which they also are. Each operation's {@code security} is carried as
 * {@code x-baton-security}: the router would otherwise mount an authentication chain of its own,
 * while Baton checks credentials and roles in one place (security/Gatekeeper) before bodies are read.
 * Nothing else differs.
 */
public record Contract(Buffer raw, OpenAPIContract openApi) {

  public static final String PATH = "openapi.yaml";
  static final String PROBLEM_JSON = "application/problem+json";
  static final String EVENT_STREAM = "text/event-stream";
  private static final String SECURITY = "security";
  /** Where the router's copy keeps each operation's {@code security} (read by security/AccessRules). */
  public static final String ROUTER_SECURITY = "x-baton-security";

  public static Future<Contract> load(Vertx vertx) {
    return vertx.fileSystem().readFile(PATH).compose(raw ->
        OpenAPIContract.from(vertx, forRouter(raw.toString())).map(openApi -> new Contract(raw, openApi)));
  }

  /** The router's copy of a contract's text (for tests that change one and check start-up refuses it). */
  public static JsonObject forRouterCopy(String yamlText) {
    return forRouter(yamlText);
  }

  static JsonObject forRouter(String yamlText) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
    String json = Json.encode(tree)
        .replace("\"" + PROBLEM_JSON + "\"", "\"application/json\"")
        .replace("\"" + EVENT_STREAM + "\"", "\"text/plain\"");
    JsonObject contract = new JsonObject(json);
    contract.getJsonObject("paths", new JsonObject()).forEach(path -> {
      if (path.getValue() instanceof JsonObject operations) {
        operations.forEach(entry -> {
          if (entry.getValue() instanceof JsonObject operation && operation.containsKey(SECURITY)) {
            operation.put(ROUTER_SECURITY, operation.remove(SECURITY));
          }
        });
      }
    });
    return contract;
  }
}
