package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A contract-driven fuzzer against two running Batons (memory and postgres mode): for every operation of openapi.yaml, jqwik's
 * generators build schema-violating and boundary bodies, path and query values and headers from the
 * operation's own schemas, and each answer must be a status the contract documents for that operation,
 * a problem+json with a detail when it is not 2xx, never a 500, never later than the HTTP deadline, and
 * never a stack trace or a Java class name.
 *
 * <p>CI runs 400 attacks from a fixed seed ({@link #hostileInput}); a long run with a random seed
 * and 10,000 attacks is {@code mvn -o test -Dtest=HostileInputTest -Dbaton.fuzz.long=true}
 * ({@link #hostileInputLongRun}). Every attack is bounded by a timeout, so a run always ends; a
 * failing one is reported with jqwik's seed and the request; {@code -Dbaton.fuzz.survey=true} lists
 * every finding of a run instead of stopping at the first.
 */
class HostileInputTest {

  /** Baton answers within http.request_timeout_ms (10 s); past this an answer counts as a hang. */
  private static final long ANSWER_WITHIN_MS = 15_000;
  private static final Pattern LEAK = Pattern.compile(
      "(Exception|\\bat [a-z]+\\.[a-z]+\\.|\\bjava\\.|\\bio\\.vertx\\.|\\bio\\.baton\\.|\\bio\\.netty\\.|"
          + "NullPointer|ClassCast|IllegalArgument|IllegalState|\\.java:\\d+)");

  record Param(String name, String in, JsonObject schema, boolean required) {
  }

  record Operation(String id, HttpMethod method, String path, List<Param> params, JsonObject body,
      Set<Integer> documented) {
    boolean streams() {
      return id.startsWith("stream");
    }
  }

  /** Which running Baton the attack goes to: both storage modes answer the same contract. */
  enum Target { MEMORY, POSTGRES }

  record Attack(Operation operation, String uri, Map<String, String> headers, Buffer body, String what,
      Target target) {
    @Override
    public String toString() {
      String shown = body == null ? "" : body.length() > 300
          ? body.getString(0, 300) + "... (" + body.length() + " bytes)" : body.toString();
      return target + " " + operation.method() + " " + (uri.length() > 300 ? uri.substring(0, 300) + "..." : uri) + " " + headers
          + " " + shown + " [" + what + "]";
    }
  }

  private static BatonInstance memory;
  private static BatonInstance postgres;
  private static Vertx clientVertx;
  private static Map<Target, HttpClient> clients;
  private static JsonObject openApi;
  private static List<Operation> operations;
  private static final Map<Integer, Integer> STATUSES = new java.util.concurrent.ConcurrentSkipListMap<>();
  private static final Map<String, Integer> OPERATIONS = new java.util.concurrent.ConcurrentSkipListMap<>();

  @BeforeContainer
  static void start() throws IOException {
    memory = BatonInstance.memory(Map.of());
    postgres = BatonInstance.postgres(Map.of());
    clientVertx = Vertx.vertx();
    clients = Map.of(Target.MEMORY, client(memory), Target.POSTGRES, client(postgres));
    openApi = new JsonObject(Json.encode(new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(Path.of("openapi.yaml")))));
    operations = operations();
  }

  private static HttpClient client(BatonInstance baton) {
    return clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(baton.port).setMaxInitialLineLength(65_536).setMaxHeaderSize(65_536));
  }

  @AfterContainer
  static void stop() {
    System.out.printf("Hostile input: %d operations of %d attacked, answers by status %s%n", OPERATIONS.size(),
        operations.size(), STATUSES);
    clients.values().forEach(client -> Await.result(client.close()));
    Await.result(clientVertx.close());
    memory.close();
    postgres.close();
  }

  // ---- the contract ----

  private static List<Operation> operations() {
    List<Operation> all = new ArrayList<>();
    JsonObject paths = openApi.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!Set.of("get", "post", "put", "delete", "patch").contains(method)) {
          continue;
        }
        JsonObject op = item.getJsonObject(method);
        List<Param> params = new ArrayList<>();
        for (Object raw : op.getJsonArray("parameters", item.getJsonArray("parameters", new JsonArray()))) {
          JsonObject param = resolve((JsonObject) raw);
          params.add(new Param(param.getString("name"), param.getString("in"),
              resolve(param.getJsonObject("schema", new JsonObject())), param.getBoolean("required", false)));
        }
        JsonObject body = null;
        if (op.containsKey("requestBody")) {
          JsonObject content = resolve(op.getJsonObject("requestBody")).getJsonObject("content", new JsonObject());
          JsonObject media = content.getJsonObject("application/json", content.fieldNames().isEmpty()
              ? new JsonObject() : content.getJsonObject(content.fieldNames().iterator().next()));
          body = resolve(media.getJsonObject("schema", new JsonObject()));
        }
        Set<Integer> documented = op.getJsonObject("responses").fieldNames().stream()
            .filter(code -> code.matches("\\d{3}")).map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
        all.add(new Operation(op.getString("operationId"), HttpMethod.valueOf(method.toUpperCase()), path, params,
            body, documented));
      }
    }
    return all;
  }

  /** Follows a local $ref (one level; nested ones are followed as the generators reach them). */
  private static JsonObject resolve(JsonObject node) {
    JsonObject current = node;
    for (int hops = 0; current != null && current.containsKey("$ref") && hops < 10; hops++) {
      JsonObject target = openApi;
      for (String part : current.getString("$ref").substring(2).split("/")) {
        target = target.getJsonObject(part);
      }
      current = target;
    }
    return current == null ? new JsonObject() : current;
  }

  // ---- generators ----

  private static final List<String> NASTY = List.of("", " ", "0", "-1", "9223372036854775808", "1e309", "NaN", "null",
      "true", "{}", "[]", "\"", "'", "' OR '1'='1", "\"; DROP TABLE handoffs; --", "../../../etc/passwd", "%00",
      "%2e%2e%2f", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}", "\u0000", "\r\nX-Injected: 1",
      "\uD83D\uDE00", "\uFFFF", "ho-", "ho-00000000000000000000000000", "CRITICAL", "critical", "BOT");

  private Arbitrary<String> hostileText() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.of(NASTY)),
        net.jqwik.api.Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars("-_.:").ofMinLength(1).ofMaxLength(30)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("aé\u4e2d\uD83D\uDE00").ofMinLength(200).ofMaxLength(5000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().map(String::valueOf)));
  }

  /** A JSON value for {@code schema}: valid, on a boundary, or of the wrong kind. */
  private Arbitrary<Object> value(JsonObject raw, int depth) {
    JsonObject schema = resolve(raw);
    List<Arbitrary<Object>> options = new ArrayList<>();
    options.add(wrongKind(depth));
    Object type = schema.getValue("type");
    String kind = type instanceof JsonArray types ? types.getString(0) : (String) type;
    if (schema.containsKey("enum")) {
      options.add(Arbitraries.of(schema.getJsonArray("enum").getList().toArray()).map(v -> (Object) v));
      options.add(Arbitraries.of(schema.getJsonArray("enum").getList().toArray())
          .map(v -> (Object) (String.valueOf(v).toLowerCase() + "x")));
    }
    if (schema.containsKey("oneOf") || schema.containsKey("anyOf") || schema.containsKey("allOf")) {
      JsonArray alternatives = schema.getJsonArray("oneOf", schema.getJsonArray("anyOf", schema.getJsonArray("allOf")));
      for (Object alternative : alternatives) {
        options.add(value((JsonObject) alternative, depth + 1));
      }
    }
    if (kind == null && schema.containsKey("properties")) {
      kind = "object";
    }
    if ("string".equals(kind)) {
      int max = schema.getInteger("maxLength", 64);
      int min = schema.getInteger("minLength", 0);
      options.add(Arbitraries.strings().alpha().ofMinLength(min).ofMaxLength(Math.min(max, 64)).map(s -> (Object) s));
      options.add(Arbitraries.just((Object) "x".repeat(max + 1)));
      options.add(Arbitraries.just((Object) "x".repeat(Math.max(0, min - 1))));
      options.add(hostileText().map(s -> (Object) s));
    } else if ("integer".equals(kind) || "number".equals(kind)) {
      long min = schema.getLong("minimum", -1_000L);
      long max = schema.getLong("maximum", 1_000_000L);
      options.add(Arbitraries.of(min, max, min - 1, max + 1, 0L, Long.MAX_VALUE, Long.MIN_VALUE).map(v -> (Object) v));
      options.add(Arbitraries.of(1.5, -0.0, 1e300).map(v -> (Object) v));
    } else if ("boolean".equals(kind)) {
      options.add(Arbitraries.of(true, false).map(v -> (Object) v));
    } else if ("array".equals(kind) && depth < 4) {
      JsonObject items = schema.getJsonObject("items", new JsonObject());
      int maxItems = schema.getInteger("maxItems", 5);
      options.add(value(items, depth + 1).list().ofMaxSize(4).map(list -> (Object) new JsonArray(new ArrayList<>(list))));
      options.add(Arbitraries.just((Object) new JsonArray()));
      options.add(value(items, depth + 1).map(one -> {
        JsonArray many = new JsonArray();
        for (int i = 0; i <= Math.min(maxItems, 600); i++) {
          many.add(one);
        }
        return (Object) many;
      }));
    } else if ("object".equals(kind) && depth < 4) {
      options.add(object(schema, depth));
    }
    return Arbitraries.oneOf(options);
  }

  private Arbitrary<Object> wrongKind(int depth) {
    return Arbitraries.of((Object) "string", 12345, -1, 3.14, true, JsonObject.of("unexpected", "object"),
        new JsonArray().add(1).add("two"));
  }

  /** An object from the schema's properties, some left out (required ones too), some unknown ones added. */
  private Arbitrary<Object> object(JsonObject schema, int depth) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    Set<String> required = new TreeSet<>(schema.getJsonArray("required", new JsonArray()).getList()
        .stream().map(String::valueOf).toList());
    List<Arbitrary<Map.Entry<String, Object>>> fields = new ArrayList<>();
    for (String name : properties.fieldNames()) {
      Arbitrary<Object> valueOf = value(properties.getJsonObject(name), depth + 1);
      // Required fields are mostly present, optional ones often absent; null stands for "left out".
      int keep = required.contains(name) ? 9 : 4;
      fields.add(Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(keep, valueOf.map(v -> Map.entry(name, v))),
          net.jqwik.api.Tuple.of(10 - keep, Arbitraries.just(Map.<String, Object>entry(name, MISSING)))));
    }
    Arbitrary<List<Map.Entry<String, Object>>> chosen = fields.isEmpty()
        ? Arbitraries.just(List.of())
        : Combinators.combine(fields).as(list -> list);
    Arbitrary<Boolean> extra = Arbitraries.of(false, false, true);
    return Combinators.combine(chosen, extra, hostileText()).as((list, addExtra, junk) -> {
      JsonObject json = new JsonObject();
      for (Map.Entry<String, Object> field : list) {
        if (field.getValue() != MISSING) {
          json.put(field.getKey(), field.getValue());
        }
      }
      if (addExtra) {
        json.put("unexpected_" + Math.abs(junk.hashCode() % 100), junk);
      }
      return (Object) json;
    });
  }

  private static final Object MISSING = new Object();

  /** Bodies that are not what any schema describes. */
  private Arbitrary<Buffer> rawBody() {
    return Arbitraries.of(
        Buffer.buffer("{"), Buffer.buffer("{\"a\":"), Buffer.buffer("not json"), Buffer.buffer("null"),
        Buffer.buffer("[]"), Buffer.buffer("\"text\""), Buffer.buffer("1e999999"), Buffer.buffer(new byte[] {(byte) 0xff, 0, 1}),
        Buffer.buffer("{\"a\":1,\"a\":2}"), Buffer.buffer("[".repeat(20_000) + "]".repeat(20_000)),
        Buffer.buffer("{\"a\":" .repeat(5_000) + "1" + "}".repeat(5_000)),
        Buffer.buffer("{\"x\":\"" + "y".repeat(300_000) + "\"}"),
        Buffer.buffer("{\"messages\":[" + "{\"speaker\":\"user\",\"content\":\"hi\"},".repeat(700)
            + "{\"speaker\":\"user\",\"content\":\"hi\"}]}"),
        Buffer.buffer(""));
  }

  private Arbitrary<Map<String, String>> headers(Operation operation, boolean hasBody) {
    Arbitrary<String> contentType = Arbitraries.of("application/json", "application/json", "application/json; charset=utf-8",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin-7",
        "", "*/*");
    Arbitrary<String> header = hostileText().map(HostileInputTest::headerSafe);
    return Combinators.combine(contentType, header, header, header, Arbitraries.integers().between(0, 15))
        .as((type, a, b, c, mask) -> {
          Map<String, String> headers = new LinkedHashMap<>();
          if (hasBody && !type.isEmpty()) {
            headers.put("Content-Type", type);
          }
          if ((mask & 1) != 0) {
            headers.put("Idempotency-Key", a);
          }
          if ((mask & 2) != 0) {
            headers.put("X-Request-Id", b);
          }
          if ((mask & 4) != 0) {
            headers.put("Last-Event-ID", c);
          }
          if ((mask & 8) != 0) {
            headers.put("Accept", "application/xml");
          }
          return headers;
        });
  }

  /** Header values cannot carry CR, LF or NUL on the wire; everything else goes. */
  private static String headerSafe(String value) {
    StringBuilder safe = new StringBuilder();
    value.codePoints().filter(c -> c >= 0x20 && c != 0x7f && c < 0x100).forEach(safe::appendCodePoint);
    return safe.length() > 4000 ? safe.substring(0, 4000) : safe.toString();
  }

  private Arbitrary<String> uri(Operation operation) {
    List<Arbitrary<String>> parts = new ArrayList<>();
    for (Param param : operation.params()) {
      if (param.in().equals("path") || param.in().equals("query")) {
        Arbitrary<String> typed = value(param.schema(), 2).map(HostileInputTest::plain);
        Arbitrary<String> any = Arbitraries.oneOf(typed, hostileText());
        // Query parameters are often left out; path parameters are always there (else another route).
        Arbitrary<String> chosen = param.in().equals("query") && !param.required()
            ? Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, any), net.jqwik.api.Tuple.of(1, Arbitraries.just("\u0001absent")))
            : any;
        parts.add(chosen.map(v -> param.in() + "\u0002" + param.name() + "\u0002" + v));
      }
    }
    Arbitrary<String> extraQuery = Arbitraries.oneOf(Arbitraries.just(""), hostileText().map(v -> "junk=" + encode(v)),
        Arbitraries.just("a=1&a=2&a=3"), Arbitraries.just("%zz=1"), Arbitraries.just("limit=1&limit=x"));
    Arbitrary<List<String>> all = parts.isEmpty() ? Arbitraries.just(List.of()) : Combinators.combine(parts).as(l -> l);
    return Combinators.combine(all, extraQuery).as((values, extra) -> {
      String path = operation.path();
      List<String> query = new ArrayList<>();
      for (String part : values) {
        String[] split = part.split("\u0002", 3);
        if (split[2].equals("\u0001absent")) {
          continue;
        }
        if (split[0].equals("path")) {
          // "." and ".." are not ids: a path with such a segment names another resource (RFC 3986).
          String segment = split[2].isEmpty() || split[2].equals(".") || split[2].equals("..") ? "x" + split[2] : split[2];
          path = path.replace("{" + split[1] + "}", encode(segment));
        } else {
          query.add(encode(split[1]) + "=" + encode(split[2]));
        }
      }
      if (!extra.isEmpty()) {
        query.add(extra);
      }
      return query.isEmpty() ? path : path + "?" + String.join("&", query);
    });
  }

  private static String plain(Object value) {
    return value instanceof String s ? s : Json.encode(value);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- the properties ----

  @Provide
  Arbitrary<Attack> attacks() {
    return Arbitraries.of(operations).flatMap(operation -> {
      boolean hasBody = operation.body() != null;
      Arbitrary<Buffer> body = !hasBody
          ? Arbitraries.oneOf(Arbitraries.just((Buffer) null), Arbitraries.just((Buffer) null), rawBody())
          : Arbitraries.frequencyOf(
              net.jqwik.api.Tuple.of(6, value(operation.body(), 0).map(v -> Buffer.buffer(Json.encode(v)))),
              net.jqwik.api.Tuple.of(2, rawBody()));
      return Combinators.combine(uri(operation), headers(operation, hasBody), body, Arbitraries.of(Target.class))
          .as((uri, headers, payload, target) -> new Attack(operation, uri, headers, payload, operation.id(), target));
    });
  }

  /** CI: bounded and repeatable. */
  @Property(tries = 400, seed = "20261122", shrinking = ShrinkingMode.OFF)
  void hostileInput(@ForAll("attacks") Attack attack) {
    assertAnswered(attack);
  }

  /** Long runs, on demand (-Dbaton.fuzz.long=true): a new seed each time. */
  @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED)
  @AddLifecycleHook(LongRunsOnly.class)
  void hostileInputLongRun(@ForAll("attacks") Attack attack) {
    assertAnswered(attack);
  }

  public static final class LongRunsOnly implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      return Boolean.getBoolean("baton.fuzz.long") ? SkipResult.doNotSkip()
          : SkipResult.skip("long fuzzing runs only with -Dbaton.fuzz.long=true");
    }
  }

  private void assertAnswered(Attack attack) {
    OPERATIONS.merge(attack.operation().id(), 1, Integer::sum);
    String failure = check(attack, STATUSES);
    if (failure != null && Boolean.getBoolean("baton.fuzz.survey")) {
      // Survey mode: list every finding of the run instead of stopping at the first.
      System.out.println("FINDING " + failure.replace('\n', ' ') + "\n    " + attack);
      return;
    }
    assertThat(failure).as("%s", attack).isNull();
  }

  /** Sends the attack; answers what is wrong with the answer, or null. */
  private String check(Attack attack, Map<Integer, Integer> perStatus) {
    RequestOptions options = new RequestOptions().setMethod(attack.operation().method()).setURI(attack.uri())
        .setTimeout(ANSWER_WITHIN_MS);
    attack.headers().forEach(options::putHeader);
    Future<Answer> answer = clients.get(attack.target()).request(options).compose(request -> {
      Future<HttpClientResponse> sent = attack.body() == null ? request.send() : request.send(attack.body());
      return sent.compose(response -> read(request, response));
    });
    Answer result;
    try {
      result = answer.toCompletionStage().toCompletableFuture().get(ANSWER_WITHIN_MS + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "no answer within " + ANSWER_WITHIN_MS + " ms: " + cause;
    }
    perStatus.merge(result.status(), 1, Integer::sum);
    if (result.status() >= 500 && result.status() != 502 && result.status() != 503 && result.status() != 504) {
      return "answered " + result.status() + ": " + result.body();
    }
    if (!attack.operation().documented().contains(result.status())) {
      return "answered " + result.status() + ", which " + attack.operation().id() + " does not document: "
          + result.body();
    }
    if (LEAK.matcher(result.body()).find()) {
      return "the body leaks internals: " + result.body();
    }
    if (result.status() >= 400) {
      if (!"application/problem+json".equals(result.contentType())) {
        return "a " + result.status() + " that is not problem+json (" + result.contentType() + "): " + result.body();
      }
      try {
        JsonObject problem = new JsonObject(result.body());
        if (problem.getString("detail", "").isBlank() || problem.getInteger("status", 0) != result.status()) {
          return "a problem without detail or with another status: " + result.body();
        }
      } catch (RuntimeException notJson) {
        return "a problem that is not JSON: " + result.body();
      }
    }
    return null;
  }

  record Answer(int status, String contentType, String body) {
  }

  /** The whole body; an event stream only up to its head (it never ends), then the connection is dropped. */
  private static Future<Answer> read(HttpClientRequest request, HttpClientResponse response) {
    String type = response.getHeader("Content-Type");
    if (response.statusCode() == 200 && type != null && type.startsWith("text/event-stream")) {
      request.reset();
      return Future.succeededFuture(new Answer(200, type, ""));
    }
    return response.body().map(body -> new Answer(response.statusCode(), type, body.toString()));
  }
}
