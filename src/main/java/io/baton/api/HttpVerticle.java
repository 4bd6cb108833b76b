package io.baton.api;

import io.baton.BuildInfo;
import io.baton.config.BatonConfig.CorsConfig;
import io.baton.config.BatonConfig.HttpConfig;
import io.baton.config.BatonConfig.SseConfig;
import io.baton.security.AccessRules;
import io.baton.security.Gatekeeper;
import io.baton.security.SecurityConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The HTTP layer, one instance per core: a router built from {@code openapi.yaml}, request ids,
 * body limits, problem answers, the contract and its docs, and event streams. Handlers only map
 * HTTP to bus commands (streams follow the relay's events on the bus).
 */
public final class HttpVerticle extends VerticleBase {

  /** How long a stopping instance lets in-flight requests finish. */
  static final long SHUTDOWN_GRACE_SECONDS = 10;

  private final HttpConfig config;
  private final SseConfig sse;
  private final StreamLimits streamLimits;
  private final HttpLimits limits;
  private Gatekeeper gatekeeper;
  private HttpServer server;
  private EventStreams streams;

  /** With no gatekeeper given, the API is in protected mode (loopback callers only). */
  public HttpVerticle(HttpConfig config, SseConfig sse, StreamLimits streamLimits, HttpLimits limits) {
    this(config, sse, streamLimits, limits, null);
  }

  public HttpVerticle(HttpConfig config, SseConfig sse, StreamLimits streamLimits, HttpLimits limits,
      Gatekeeper gatekeeper) {
    this.config = config;
    this.sse = sse;
    this.streamLimits = streamLimits;
    this.limits = limits;
    this.gatekeeper = gatekeeper;
  }

  @Override
  public Future<?> start() {
    if (gatekeeper == null) {
      gatekeeper = Gatekeeper.create(vertx, SecurityConfig.from(new JsonObject()));
    }
    BusCalls bus = new BusCalls(vertx.eventBus(), config.busTimeout());
    streams = new EventStreams(vertx, bus, sse, streamLimits);
    return streams.start()
        .compose(listening -> Contract.load(vertx))
        .map(contract -> router(contract, bus))
        .compose(router -> {
          server = vertx.createHttpServer(new HttpServerOptions()
              .setHost(config.host())
              .setPort(config.port())
              .setCompressionSupported(true)
              .setMaxHeaderSize(config.maxHeaderSize())
              .setMaxInitialLineLength(config.maxInitialLineLength()));
          return server
              .invalidRequestHandler(new InvalidRequests(new SecurityHeaders(limits.headers()), config.maxHeaderSize(),
                  config.maxInitialLineLength()))
              .requestHandler(router)
              .listen();
        });
  }

  /** The port this instance listens on (the configured one, or the one picked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Streams end first: they never finish on their own, and their clients resume elsewhere by id. */
  @Override
  public Future<?> stop() {
    Future<Void> streamsEnded = streams == null ? Future.succeededFuture() : streams.stop();
    return streamsEnded.transform(ended -> server == null
        ? Future.succeededFuture()
        : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS));
  }

  private Router router(Contract contract, BusCalls bus) {
    Map<RouteGroup, BodyHandler> bodies = new EnumMap<>(RouteGroup.class);
    for (RouteGroup group : RouteGroup.values()) {
      bodies.put(group, BodyHandler.create().setBodyLimit(bodyLimit(group)).setHandleFileUploads(false));
    }
    AccessRules rules = AccessRules.from(contract.openApi());
    RouterBuilder builder = RouterBuilder.create(vertx, contract.openApi(), RequestExtractor.withBodyHandler())
        .rootHandler(new RequestIds())
        .rootHandler(new SecurityHeaders(limits.headers()))
        // Before anything reads the query (the credential check reads access_token) or the body.
        .rootHandler(new RequestShape());
    if (limits.headers().cors().enabled()) {
      builder.rootHandler(cors(limits.headers().cors()));
    }
    // Before the body is read: a caller without a valid credential costs no body buffering. After
    // CORS, whose preflights carry no credentials.
    builder.rootHandler(gatekeeper.guard(rules));
    // One body limit per route group: channel webhooks carry up to 1,000 updates (WhatsApp: 3 MB).
    builder.rootHandler(ctx -> {
      RouteGroup group = RouteGroup.of(ctx.request().method(), ctx.request().path());
      ctx.put(BODY_LIMIT, bodyLimit(group) + " bytes ("
          + (group == RouteGroup.WEBHOOKS ? "http.webhook_body_limit_bytes" : "http.body_limit_bytes") + ")");
      bodies.get(group).handle(ctx);
    });
    // Every route checks that its own operation admitted the request, whatever spelling reached it.
    builder.getRoutes().forEach(route ->
        route.addHandler(gatekeeper.confirm(rules, route.getOperation().getOperationId())));
    bindOperations(builder, contract.openApi(), operations(bus, streams, vertx.eventBus(), config.busTimeout()),
        limits.json(), route -> RateLimits.forGroup(RouteGroup.of(route.getOperation().getHttpMethod(),
            route.getOperation().getOpenAPIPath()),
            limits.limits().rate(), limits.limiter()));

    Router router = builder.createRouter();
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .end(contract.raw()));
    router.getWithRegex("/docs").handler(ctx -> ctx.redirect("/docs/"));
    // Baton's own initializer replaces the webjar's, which points at a demo contract on the web.
    router.get("/docs/swagger-initializer.js").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/javascript; charset=utf-8")
        .sendFile("docs/swagger-initializer.js"));
    router.get("/docs/*").handler(StaticHandler
        .create("META-INF/resources/webjars/swagger-ui/" + BuildInfo.SWAGGER_UI_VERSION)
        .setIndexPage("index.html"));
    router.route().last().failureHandler(Problems::handleFailure);
    router.errorHandler(404, Problems::handleFailure);
    router.errorHandler(405, Problems::handleFailure);
    router.errorHandler(500, Problems::handleFailure);
    return router;
  }

  /** The context key under which the body limit of the request's route group is described, for a 413's detail. */
  static final String BODY_LIMIT = "baton.body-limit";

  private long bodyLimit(RouteGroup group) {
    return group == RouteGroup.WEBHOOKS ? config.webhookBodyLimitBytes() : config.bodyLimitBytes();
  }

  /** CORS as configured; preflights are answered here, before any body is read. */
  private static CorsHandler cors(CorsConfig config) {
    CorsHandler cors = CorsHandler.create();
    if (!config.allowedOrigins().contains("*")) {
      cors.addOrigins(config.allowedOrigins());
    }
    return cors
        .allowedMethods(config.allowedMethods().stream().map(method -> HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)))
            .collect(Collectors.toSet()))
        .allowedHeaders(Set.copyOf(config.allowedHeaders()))
        .exposedHeaders(Set.copyOf(config.exposedHeaders()))
        .maxAgeSeconds(config.maxAgeSeconds())
        .allowCredentials(config.allowCredentials());
  }

  /** The signed channel webhook routes, which take bodies up to {@code http.webhook_body_limit_bytes}. */
  static boolean isWebhook(String path) {
    // The chatbot escalation is a small JSON request like the API's, and keeps the API's limit.
    return path != null && (path.equals("/webhook") || path.startsWith("/webhooks/"))
        && !path.equals("/webhooks/chatbot");
  }

  /** Every operation of the contract, by operationId. */
  static Map<String, Handler<RoutingContext>> operations(BusCalls bus, EventStreams streams, EventBus eventBus,
      Duration timeout) {
    HandoffApi handoffs = new HandoffApi(bus);
    OpsApi ops = new OpsApi(bus);
    Map<String, Handler<RoutingContext>> operations = new HashMap<>(Map.of(
        "checkHandoff", handoffs::check,
        "createHandoff", handoffs::create,
        "getHandoff", handoffs::get,
        "listHandoffs", handoffs::list,
        "cancelHandoff", handoffs::cancel,
        "streamEvents", streams::all,
        "streamHandoffEvents", streams::ofHandoff,
        "health", ops::health,
        "ready", ops::ready,
        "metrics", ops::metrics));
    operations.putAll(OperatorApi.operations(bus));
    operations.putAll(new IngestApi(bus, eventBus, timeout).operations());
    operations.putAll(HelpdeskApi.operations(bus));
    return operations;
  }

  /**
   * Binds each operation to its handler. An operation of the contract without a handler would
   * answer 503 forever, and a handler without an operation would never run: both stop start-up.
   */
  static void bindOperations(RouterBuilder builder, OpenAPIContract contract,
      Map<String, Handler<RoutingContext>> handlers) {
    bindOperations(builder, contract, handlers, JsonLimits.DEFAULT, route -> null);
  }

  /**
   * As above; {@code guard} gives each route a handler that runs first (its rate limits), or null,
   * and {@code json} bounds the shape of JSON bodies.
   */
  static void bindOperations(RouterBuilder builder, OpenAPIContract contract,
      Map<String, Handler<RoutingContext>> handlers, JsonLimits json,
      Function<OpenAPIRoute, Handler<RoutingContext>> guard) {
    Map<String, OpenAPIRoute> routes = builder.getRoutes().stream()
        .collect(Collectors.toMap(r -> r.getOperation().getOperationId(), r -> r));
    if (!routes.keySet().equals(handlers.keySet())) {
      throw new IllegalStateException("openapi.yaml and the HTTP handlers disagree: unbound operations "
          + routes.keySet().stream().filter(id -> !handlers.containsKey(id)).toList()
          + ", handlers without an operation "
          + handlers.keySet().stream().filter(id -> !routes.containsKey(id)).toList());
    }
    handlers.forEach((operationId, handler) -> {
      OpenAPIRoute route = routes.get(operationId);
      Handler<RoutingContext> first = guard.apply(route);
      if (first != null) {
        route.addHandler(first);
      }
      if (IngestApi.RAW.contains(operationId)) {
        // Signed webhooks: the signature is checked over the raw bytes before any parsing (IngestApi).
        route.setDoValidation(false).addHandler(handler);
        return;
      }
      JsonBodyValidation bodyValidation = JsonBodyValidation.forOperation(contract, route.getOperation(), json);
      if (bodyValidation != null) {
        route.setDoValidation(false).addHandler(bodyValidation);
      }
      route.addHandler(handler);
    });
  }
}
