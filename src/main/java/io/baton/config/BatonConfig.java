package io.baton.config;

import io.baton.security.SecurityConfig;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Baton's settings, read once at start-up from {@code conf/baton.yaml} (the file in the working
 * directory, else the copy inside the jar, or the file named by {@code BATON_CONFIG}) and the
 * {@code BATON_…} environment. The YAML file documents every setting and its default.
 */
public record BatonConfig(
    HttpConfig http,
    StorageConfig storage,
    RedisConfig redis,
    HandoffConfig handoff,
    OperatorConfig operator,
    EventsConfig events,
    SseConfig sse,
    ChannelsConfig channels,
    IngestConfig ingest,
    HelpdeskConfig helpdesk,
    ObservabilityConfig observability,
    SecurityConfig security,
    LimitsConfig limits,
    HeadersConfig headers,
    OutboundConfig outbound,
    JsonObject triggers,
    JsonObject routing,
    List<String> unknownVariables) {

  public static final String DEFAULT_PATH = "conf/baton.yaml";

  /**
   * {@code bodyLimitBytes} bounds the API's bodies; {@code webhookBodyLimitBytes} the channel webhooks',
   * which carry up to 1,000 updates (WhatsApp: up to 3 MB). The header limits are the HTTP decoder's.
   */
  public record HttpConfig(String host, int port, int instances, long bodyLimitBytes, long webhookBodyLimitBytes,
      int maxHeaderSize, int maxInitialLineLength, Duration busTimeout) {
    /** Instances of the HTTP verticle: the configured number, or one per core. */
    public int effectiveInstances() {
      return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    }
  }

  public enum StorageMode { MEMORY, POSTGRES }

  public record StorageConfig(StorageMode mode, PostgresConfig postgres) {
  }

  public record PostgresConfig(String url, int poolSize, String schema, int createBatches) {
  }

  /** Redis is optional until a feature needs it; an empty url means "not configured". */
  public record RedisConfig(String url, Duration timeout, String keyPrefix) {
    public boolean configured() {
      return url != null && !url.isBlank();
    }
  }

  public record HandoffConfig(Duration idempotencyTtl, Duration idempotencyLease) {
  }

  /**
   * Automatic assignment, waiting estimates and escalation. {@code autoAssign} and
   * {@code escalation} have a default and per-queue overrides.
   */
  public record OperatorConfig(AutoAssignConfig autoAssign, int waitEstimateHistory, EscalationConfig escalation) {
  }

  /** Whether pending handoffs go to agents automatically; {@code queues} overrides per queue. */
  public record AutoAssignConfig(boolean enabled, Map<String, Boolean> queues) {
    public boolean enabledFor(String queue) {
      return queues.getOrDefault(queue, enabled);
    }

    /** True when at least one queue may be auto-assigned. */
    public boolean anyEnabled() {
      return enabled || queues.containsValue(true);
    }
  }

  /**
   * When a pending handoff has waited {@code maxWait} in its queue, it escalates one step: its
   * priority is raised one step and/or it moves to {@code fallbackQueue}. A zero wait never escalates.
   */
  public record QueueEscalation(Duration maxWait, boolean raisePriority, String fallbackQueue) {
  }

  public record EscalationConfig(Duration sweepInterval, int batchSize, QueueEscalation defaults,
      Map<String, QueueEscalation> queues) {
    public QueueEscalation forQueue(String queue) {
      return queue == null ? defaults : queues.getOrDefault(queue, defaults);
    }
  }

  /**
   * The event relay: how often it looks at the log when no wake-up came, how many events it reads
   * at once, how long the log keeps events and how often old ones are removed.
   */
  public record EventsConfig(Duration poll, int batchSize, Duration retention, Duration pruneEvery) {
  }

  /**
   * Event streams: keepalive and reconnect hint, the per-connection bounds (live events held while a
   * resume replays, bytes queued for a client) and the caps on open streams.
   */
  public record SseConfig(Duration keepalive, Duration retry, int bufferEvents, int writeQueueBytes,
      int maxStreams, int maxStreamsPerClient) {
  }

  /**
   * Secrets of one channel: {@code defaultSecret} serves every account not listed in {@code byAccount}
   * (WhatsApp: by phone_number_id, Messenger: by page id, X: by for_user_id). Empty: not configured.
   * Each account's traffic belongs to a tenant: its own ({@code tenants}) or the channel's
   * ({@code defaultTenant}).
   */
  public record AccountSecrets(String defaultSecret, Map<String, String> byAccount, String defaultTenant,
      Map<String, String> tenants) {

    public AccountSecrets(String defaultSecret, Map<String, String> byAccount) {
      this(defaultSecret, byAccount, "default", Map.of());
    }

    /** The tenant an account's messages and statuses are written in. */
    public String tenantOf(String account) {
      return account == null ? defaultTenant : tenants.getOrDefault(account, defaultTenant);
    }

    /** Every distinct configured secret, the default first. */
    public List<String> candidates() {
      java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
      if (!defaultSecret.isEmpty()) {
        all.add(defaultSecret);
      }
      byAccount.values().stream().filter(s -> !s.isEmpty()).forEach(all::add);
      return List.copyOf(all);
    }

    /** Whether a body signed with {@code secret} may speak for {@code account}. */
    public boolean allows(String secret, String account) {
      String own = account == null ? null : byAccount.get(account);
      return own != null ? own.equals(secret) : defaultSecret.equals(secret);
    }
  }

  /** A Meta channel (WhatsApp Cloud API, Messenger): the hub.* handshake token and the app secrets. */
  public record MetaChannel(String verifyToken, AccountSecrets secrets, Duration dedupTtl) {
  }

  /** X Account Activity: the consumer secrets (CRC and signatures). */
  public record TwitterChannel(AccountSecrets secrets, Duration dedupTtl) {
  }

  /** Channel webhooks: per-channel secrets and dedup horizons; {@code environment} is reported by /stats. */
  public record ChannelsConfig(MetaChannel whatsapp, MetaChannel messenger, TwitterChannel twitter,
      String chatbotSecret, String environment, String chatbotTenant) {

    public ChannelsConfig(MetaChannel whatsapp, MetaChannel messenger, TwitterChannel twitter, String chatbotSecret,
        String environment) {
      this(whatsapp, messenger, twitter, chatbotSecret, environment, "default");
    }
  }

  /**
   * A conversation's messages wait {@code window} after the latest one (at most {@code maxWait} after
   * the first, at most {@code maxBatch} messages) and are then flushed as one batch, once across
   * instances; a flushing instance holds the batch for {@code lease}, after which another may take it.
   */
  public record DebounceConfig(Duration window, Duration maxWait, int maxBatch, Duration lease,
      Duration sweepInterval) {
  }

  /**
   * Where flushed batches of bot-owned conversations go: a Standard Webhooks signed POST to {@code url}
   * ({@code secret} is {@code whsec_<base64>}), retried with backoff up to {@code maxAttempts}.
   */
  public record BotConfig(String url, String secret, Duration timeout, int maxAttempts, Duration backoff) {
    public boolean configured() {
      return url != null && !url.isBlank();
    }
  }

  /**
   * Webhook messages stored but not (known to be) in the debounce buffer, because buffering failed or
   * the process died in between, are buffered again once {@code after} old; each instance looks
   * {@code every} so often.
   */
  public record RebufferConfig(Duration after, Duration every) {
  }

  public record IngestConfig(DebounceConfig debounce, BotConfig bot, RebufferConfig rebuffer) {
  }

  public enum HelpdeskAdapter { BUILTIN, ZENDESK, FRESHDESK, WEBHOOK }

  /**
   * Where handoffs' tickets are opened. {@code syncTimeout}: how long a create waits for its ticket;
   * {@code publicUrl}: Baton's address as clients reach it, the start of built-in tickets' urls.
   */
  public record HelpdeskConfig(HelpdeskAdapter adapter, Duration syncTimeout, String publicUrl,
      ZendeskConfig zendesk, FreshdeskConfig freshdesk, WebhookConfig webhook, BreakerConfig breaker,
      RetryConfig retry) {
  }

  /**
   * Durable ticket retries: attempt n waits {@code baseDelay}·2^(n-1), at most {@code maxDelay},
   * less up to half at random, and never less than a Retry-After; after {@code maxAttempts} the
   * ticket is given up. Workers look for due retries every {@code poll}, {@code batchSize} at a time;
   * an active handoff without ticket or retry after {@code orphanAfter} gets a retry.
   */
  public record RetryConfig(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration poll, int batchSize,
      Duration orphanAfter) {
  }

  public record ZendeskConfig(String baseUrl, String email, String apiToken) {
  }

  public record FreshdeskConfig(String baseUrl, String apiKey) {
  }

  /** A Standard Webhooks endpoint; {@code secret} is {@code whsec_<base64>}. */
  public record WebhookConfig(String url, String secret) {
  }

  /**
   * The circuit breaker around every call to an external helpdesk: a call that takes longer than
   * {@code callTimeout} fails; {@code failureThreshold} failures within {@code rollingWindow} open
   * it; after {@code resetTimeout} one probe is let through (half-open).
   */
  public record BreakerConfig(Duration callTimeout, int failureThreshold, Duration rollingWindow,
      Duration resetTimeout) {
  }

  public enum LogFormat { AUTO, TEXT, JSON }

  /**
   * Logs, /metrics and /ready: {@code logFormat} AUTO means JSON lines in postgres mode (a deployment,
   * read by a log collector) and text in memory mode (someone trying Baton at a terminal);
   * {@code accessLog} writes one line per answered request. Queue
   * gauges are read from the store every {@code queueSample}; /ready fails when the event relay has
   * not read the log for {@code readyMaxRelayLag}.
   */
  public record ObservabilityConfig(LogFormat logFormat, boolean accessLog, Duration queueSample,
      Duration readyMaxRelayLag) {
    /** Whether log lines are JSON in the given storage mode. */
    public boolean jsonLogs(StorageMode mode) {
      return logFormat == LogFormat.JSON || (logFormat == LogFormat.AUTO && mode == StorageMode.POSTGRES);
    }
  }

  /** Input limits on JSON bodies, and the rate limits. */
  public record LimitsConfig(int jsonMaxDepth, int jsonMaxStringLength, RateLimitsConfig rate) {
  }

  public enum RateStore { AUTO, MEMORY, REDIS }

  /** What the limiter does while Redis cannot be reached. */
  public enum RedisFailure { LOCAL, OPEN, CLOSED }

  /**
   * Token buckets per route group ({@code api}, {@code streams}, {@code webhooks}) and scope.
   * {@code memoryMaxBuckets} bounds the buckets one process keeps in memory.
   */
  public record RateLimitsConfig(boolean enabled, RateStore store, RedisFailure onRedisFailure, int memoryMaxBuckets,
      Map<String, GroupQuotas> groups) {
  }

  /** A bucket of {@code quota} requests refilled evenly over {@code window}; a zero quota is no limit. */
  public record Quota(long quota, Duration window) {
    public boolean limited() {
      return quota > 0;
    }
  }

  public record GroupQuotas(Quota perKey, Quota perTenant, Quota perIp) {
  }

  /** Response headers: Strict-Transport-Security when {@code hstsMaxAgeSeconds} is above 0, and CORS. */
  public record HeadersConfig(long hstsMaxAgeSeconds, boolean hstsIncludeSubdomains, CorsConfig cors) {
  }

  public record CorsConfig(boolean enabled, List<String> allowedOrigins, List<String> allowedMethods,
      List<String> allowedHeaders, List<String> exposedHeaders, int maxAgeSeconds, boolean allowCredentials) {
  }

  /**
   * One channel's send API: {@code baseUrl} and {@code apiVersion} (Meta's Graph API; unused by X),
   * the access token for every account not listed in {@code tokens} (WhatsApp: by phone_number_id,
   * Messenger: page tokens by page id, X: user tokens by for_user_id); {@code defaultAccount} is the
   * WhatsApp phone_number_id that phone-keyed conversations (no channel webhook seen) are sent from.
   */
  public record ChannelSendConfig(String baseUrl, String apiVersion, String accessToken, Map<String, String> tokens,
      String defaultAccount) {
    /** The token for an account; empty when none is configured. */
    public String token(String account) {
      String own = account == null ? null : tokens.get(account);
      return own != null && !own.isEmpty() ? own : accessToken;
    }
  }

  /**
   * Agent messages out through the channels' send APIs: one breaker per channel (each with
   * {@code breaker}'s settings) and durable retries with {@code retry}'s backoff and attempts.
   */
  public record OutboundConfig(ChannelSendConfig whatsapp, ChannelSendConfig messenger, ChannelSendConfig twitter,
      BreakerConfig breaker, RetryConfig retry) {
    public ChannelSendConfig channel(String name) {
      return switch (name) {
        case "whatsapp" -> whatsapp;
        case "messenger" -> messenger;
        case "twitter" -> twitter;
        default -> null;
      };
    }
  }

  public static Future<BatonConfig> load(Vertx vertx) {
    return load(vertx, System.getenv());
  }

  public static Future<BatonConfig> load(Vertx vertx, Map<String, String> env) {
    String path = env.getOrDefault("BATON_CONFIG", DEFAULT_PATH);
    ConfigStoreOptions file = new ConfigStoreOptions()
        .setType("file")
        .setFormat("yaml")
        .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(file));
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(json -> from(json, env));
  }

  /** Builds the typed settings from the file's content and the environment. */
  public static BatonConfig from(JsonObject file, Map<String, String> env) {
    JsonObject json = file.copy();
    List<String> unknown = EnvOverrides.apply(json, env);

    JsonObject http = json.getJsonObject("http", new JsonObject());
    JsonObject storage = json.getJsonObject("storage", new JsonObject());
    JsonObject postgres = storage.getJsonObject("postgres", new JsonObject());
    JsonObject redis = json.getJsonObject("redis", new JsonObject());
    JsonObject handoff = json.getJsonObject("handoff", new JsonObject());
    JsonObject operator = json.getJsonObject("operator", new JsonObject());
    JsonObject events = json.getJsonObject("events", new JsonObject());
    JsonObject sse = json.getJsonObject("sse", new JsonObject());
    JsonObject helpdesk = json.getJsonObject("helpdesk", new JsonObject());

    PostgresConfig pg = new PostgresConfig(
        postgres.getString("url", ""),
        postgres.getInteger("pool_size", 16),
        postgres.getString("schema", "public"),
        postgres.getInteger("create_batches", 2));
    return new BatonConfig(
        new HttpConfig(
            http.getString("host", "0.0.0.0"),
            http.getInteger("port", 8000),
            http.getInteger("instances", 0),
            http.getLong("body_limit_bytes", 262_144L),
            http.getLong("webhook_body_limit_bytes", 3_145_728L),
            (int) positive(http, "http.max_header_size", 8_192L),
            (int) positive(http, "http.max_initial_line_length", 4_096L),
            Duration.ofMillis(http.getLong("request_timeout_ms", 10_000L))),
        new StorageConfig(storageMode(storage.getString("mode", "auto"), pg), pg),
        new RedisConfig(redis.getString("url", ""), Duration.ofMillis(redis.getLong("timeout_ms", 2_000L)),
            redis.getString("key_prefix", "baton:")),
        new HandoffConfig(
            Duration.ofHours(handoff.getLong("idempotency_ttl_hours", 24L)),
            Duration.ofSeconds(handoff.getLong("idempotency_lease_seconds", 60L))),
        operatorConfig(operator),
        new EventsConfig(
            Duration.ofMillis(positive(events, "events.poll_ms", 25L)),
            (int) positive(events, "events.batch_size", 500L),
            Duration.ofHours(positive(events, "events.retention_hours", 168L)),
            Duration.ofMinutes(positive(events, "events.prune_every_minutes", 60L))),
        new SseConfig(
            Duration.ofMillis(positive(sse, "sse.keepalive_ms", 15_000L)),
            Duration.ofMillis(positive(sse, "sse.retry_ms", 3_000L)),
            (int) positive(sse, "sse.buffer_events", 1_000L),
            (int) positive(sse, "sse.write_queue_bytes", 262_144L),
            (int) positive(sse, "sse.max_streams", 10_000L),
            (int) positive(sse, "sse.max_streams_per_client", 100L)),
        channelsConfig(json.getJsonObject("channels", new JsonObject()), json.getString("environment", "development")),
        ingestConfig(json.getJsonObject("ingest", new JsonObject())),
        helpdeskConfig(helpdesk),
        observabilityConfig(json.getJsonObject("observability", new JsonObject())),
        SecurityConfig.from(json.getJsonObject("security", new JsonObject())),
        limitsConfig(json.getJsonObject("limits", new JsonObject())),
        headersConfig(json.getJsonObject("headers", new JsonObject())),
        outboundConfig(json.getJsonObject("outbound", new JsonObject())),
        json.getJsonObject("triggers", new JsonObject()),
        json.getJsonObject("routing", new JsonObject()),
        unknown);
  }

  private static ObservabilityConfig observabilityConfig(JsonObject observability) {
    String format = observability.getString("log_format", "auto").trim().toUpperCase(Locale.ROOT);
    LogFormat logFormat;
    try {
      logFormat = LogFormat.valueOf(format);
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("observability.log_format must be auto, text or json, not '"
          + observability.getString("log_format") + "'");
    }
    return new ObservabilityConfig(logFormat, observability.getBoolean("access_log", false),
        Duration.ofMillis(positive(observability, "observability.queue_sample_ms", 5_000L)),
        Duration.ofMillis(positive(observability, "observability.ready_max_relay_lag_ms", 10_000L)));
  }

  /** The route groups that have rate limits. */
  public static final List<String> RATE_GROUPS = List.of("api", "streams", "webhooks");

  private static LimitsConfig limitsConfig(JsonObject limits) {
    JsonObject json = limits.getJsonObject("json", new JsonObject());
    JsonObject rate = limits.getJsonObject("rate", new JsonObject());
    JsonObject groups = rate.getJsonObject("groups", new JsonObject());
    for (String name : groups.fieldNames()) {
      if (!RATE_GROUPS.contains(name)) {
        throw new IllegalArgumentException("limits.rate.groups." + name + " is not a route group; they are "
            + RATE_GROUPS);
      }
    }
    Map<String, GroupQuotas> quotas = new LinkedHashMap<>();
    for (String name : RATE_GROUPS) {
      JsonObject group = groups.getJsonObject(name, new JsonObject());
      String path = "limits.rate.groups." + name;
      quotas.put(name, new GroupQuotas(quota(path + ".per_key", group.getJsonObject("per_key")),
          quota(path + ".per_tenant", group.getJsonObject("per_tenant")),
          quota(path + ".per_ip", group.getJsonObject("per_ip"))));
    }
    return new LimitsConfig(
        (int) positive(json, "json.max_depth", 32L),
        (int) positive(json, "json.max_string_length", 65_536L),
        new RateLimitsConfig(rate.getBoolean("enabled", true),
            choice("limits.rate.store", rate.getString("store", "auto"), RateStore.class),
            choice("limits.rate.on_redis_failure", rate.getString("on_redis_failure", "local"), RedisFailure.class),
            (int) positive(rate, "rate.memory_max_buckets", 100_000L),
            Map.copyOf(quotas)));
  }

  private static Quota quota(String path, JsonObject json) {
    if (json == null) {
      return new Quota(0, Duration.ofSeconds(60));
    }
    long quota = json.getLong("quota", 0L);
    long window = json.getLong("window_seconds", 60L);
    if (quota < 0 || window < 1) {
      throw new IllegalArgumentException(path + ": quota must be 0 (no limit) or more and window_seconds at least 1");
    }
    return new Quota(quota, Duration.ofSeconds(window));
  }

  private static <E extends Enum<E>> E choice(String setting, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException(setting + " must be one of "
          + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
          + ", not '" + value + "'");
    }
  }

  private static HeadersConfig headersConfig(JsonObject headers) {
    JsonObject cors = headers.getJsonObject("cors", new JsonObject());
    long hsts = headers.getLong("hsts_max_age_seconds", 0L);
    int maxAge = cors.getInteger("max_age_seconds", 600);
    if (hsts < 0 || maxAge < 0) {
      throw new IllegalArgumentException("headers.hsts_max_age_seconds and headers.cors.max_age_seconds must be 0 or more");
    }
    CorsConfig corsConfig = new CorsConfig(cors.getBoolean("enabled", false),
        strings("headers.cors.allowed_origins", cors, "allowed_origins", List.of()),
        strings("headers.cors.allowed_methods", cors, "allowed_methods", List.of("GET", "POST", "PUT", "DELETE", "OPTIONS")),
        strings("headers.cors.allowed_headers", cors, "allowed_headers", List.of("Content-Type")),
        strings("headers.cors.exposed_headers", cors, "exposed_headers", List.of("X-Request-Id")),
        maxAge, cors.getBoolean("allow_credentials", false));
    if (corsConfig.enabled() && corsConfig.allowedOrigins().isEmpty()) {
      throw new IllegalArgumentException("headers.cors.enabled is true but headers.cors.allowed_origins is empty");
    }
    if (corsConfig.allowCredentials() && corsConfig.allowedOrigins().contains("*")) {
      throw new IllegalArgumentException("headers.cors.allow_credentials cannot be true with the origin \"*\"");
    }
    return new HeadersConfig(hsts, headers.getBoolean("hsts_include_subdomains", false), corsConfig);
  }

  private static List<String> strings(String setting, JsonObject json, String key, List<String> defaults) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaults;
    }
    if (!(value instanceof io.vertx.core.json.JsonArray array) || !array.stream().allMatch(String.class::isInstance)) {
      throw new IllegalArgumentException(setting + " must be a list of strings");
    }
    return array.stream().map(String.class::cast).map(String::trim).toList();
  }

  private static IngestConfig ingestConfig(JsonObject ingest) {
    JsonObject debounce = ingest.getJsonObject("debounce", new JsonObject());
    JsonObject bot = ingest.getJsonObject("bot", new JsonObject());
    DebounceConfig debounceConfig = new DebounceConfig(
        Duration.ofMillis(debounce.getLong("window_ms", 2_000L)),
        Duration.ofMillis(debounce.getLong("max_wait_ms", 10_000L)),
        debounce.getInteger("max_batch", 50),
        Duration.ofMillis(debounce.getLong("lease_ms", 30_000L)),
        Duration.ofMillis(debounce.getLong("sweep_interval_ms", 25L)));
    if (debounceConfig.window().isNegative() || debounceConfig.maxWait().compareTo(debounceConfig.window()) < 0
        || debounceConfig.maxBatch() < 1 || debounceConfig.lease().toMillis() < 1
        || debounceConfig.sweepInterval().toMillis() < 1) {
      throw new IllegalArgumentException("ingest.debounce: window_ms must be 0 or more and at most max_wait_ms;"
          + " max_batch, lease_ms and sweep_interval_ms at least 1");
    }
    BotConfig botConfig = new BotConfig(bot.getString("url", ""), bot.getString("secret", ""),
        Duration.ofMillis(bot.getLong("timeout_ms", 5_000L)), bot.getInteger("max_attempts", 8),
        Duration.ofMillis(bot.getLong("backoff_ms", 1_000L)));
    if (botConfig.maxAttempts() < 1 || botConfig.timeout().toMillis() < 1) {
      throw new IllegalArgumentException("ingest.bot.max_attempts and ingest.bot.timeout_ms must be at least 1");
    }
    JsonObject rebuffer = ingest.getJsonObject("rebuffer", new JsonObject());
    RebufferConfig rebufferConfig = new RebufferConfig(Duration.ofMillis(rebuffer.getLong("after_ms", 30_000L)),
        Duration.ofMillis(rebuffer.getLong("every_ms", 5_000L)));
    if (rebufferConfig.after().toMillis() < 1 || rebufferConfig.every().toMillis() < 1) {
      throw new IllegalArgumentException("ingest.rebuffer.after_ms and ingest.rebuffer.every_ms must be at least 1");
    }
    return new IngestConfig(debounceConfig, botConfig, rebufferConfig);
  }

  private static ChannelsConfig channelsConfig(JsonObject channels, String environment) {
    JsonObject whatsapp = channels.getJsonObject("whatsapp", new JsonObject());
    JsonObject messenger = channels.getJsonObject("messenger", new JsonObject());
    JsonObject twitter = channels.getJsonObject("twitter", new JsonObject());
    JsonObject chatbot = channels.getJsonObject("chatbot", new JsonObject());
    return new ChannelsConfig(
        new MetaChannel(whatsapp.getString("verify_token", ""),
            secrets("channels.whatsapp", whatsapp, "app_secret", "accounts"),
            dedupTtl("channels.whatsapp", whatsapp, 7 * 24 * 3600L)),
        new MetaChannel(messenger.getString("verify_token", ""),
            secrets("channels.messenger", messenger, "app_secret", "pages"),
            dedupTtl("channels.messenger", messenger, 7 * 24 * 3600L)),
        new TwitterChannel(secrets("channels.twitter", twitter, "consumer_secret", "accounts"),
            dedupTtl("channels.twitter", twitter, 7 * 24 * 3600L)),
        chatbot.getString("secret", ""),
        environment,
        tenant("channels.chatbot.tenant", chatbot.getString("tenant", "default")));
  }

  /** A tenant named in the channels' settings: the names keys and tokens may use. */
  private static String tenant(String path, String name) {
    if (!io.baton.security.SecurityConfig.isTenantName(name)) {
      throw new IllegalArgumentException(path + " must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return name;
  }

  private static AccountSecrets secrets(String path, JsonObject channel, String secretKey, String accountsKey) {
    Map<String, String> byAccount = new LinkedHashMap<>();
    Map<String, String> tenants = new LinkedHashMap<>();
    String channelTenant = tenant(path + ".tenant", channel.getString("tenant", "default"));
    channel.getJsonObject(accountsKey, new JsonObject()).forEach(entry -> {
      String at = path + "." + accountsKey + "." + entry.getKey();
      // An account is its secret, or {secret, tenant} when its traffic belongs to a tenant of its own.
      if (entry.getValue() instanceof String secret) {
        byAccount.put(entry.getKey(), secret);
      } else if (entry.getValue() instanceof JsonObject account && account.getValue("secret") instanceof String secret) {
        byAccount.put(entry.getKey(), secret);
        tenants.put(entry.getKey(), tenant(at + ".tenant", account.getString("tenant", channelTenant)));
      } else {
        throw new IllegalArgumentException(at + " must be a secret or {secret, tenant}");
      }
    });
    return new AccountSecrets(channel.getString(secretKey, ""), Map.copyOf(byAccount), channelTenant,
        Map.copyOf(tenants));
  }

  private static Duration dedupTtl(String path, JsonObject channel, long defaultSeconds) {
    long seconds = channel.getLong("dedup_ttl_seconds", defaultSeconds);
    if (seconds < 1) {
      throw new IllegalArgumentException(path + ".dedup_ttl_seconds must be at least 1");
    }
    return Duration.ofSeconds(seconds);
  }

  private static HelpdeskConfig helpdeskConfig(JsonObject helpdesk) {
    String adapter = helpdesk.getString("adapter", "builtin").trim().toUpperCase(Locale.ROOT);
    HelpdeskAdapter chosen;
    try {
      chosen = HelpdeskAdapter.valueOf(adapter);
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("helpdesk.adapter must be builtin, zendesk, freshdesk or webhook, not '"
          + helpdesk.getString("adapter") + "'");
    }
    String publicUrl = helpdesk.getString("public_url", "");
    JsonObject zendesk = helpdesk.getJsonObject("zendesk", new JsonObject());
    JsonObject freshdesk = helpdesk.getJsonObject("freshdesk", new JsonObject());
    JsonObject webhook = helpdesk.getJsonObject("webhook", new JsonObject());
    JsonObject breaker = helpdesk.getJsonObject("breaker", new JsonObject());
    JsonObject retry = helpdesk.getJsonObject("retry", new JsonObject());
    HelpdeskConfig config = new HelpdeskConfig(chosen,
        Duration.ofMillis(positive(helpdesk, "helpdesk.sync_timeout_ms", 800L)), withoutSlash(publicUrl),
        new ZendeskConfig(withoutSlash(zendesk.getString("base_url", "")), zendesk.getString("email", ""),
            zendesk.getString("api_token", "")),
        new FreshdeskConfig(withoutSlash(freshdesk.getString("base_url", "")), freshdesk.getString("api_key", "")),
        new WebhookConfig(webhook.getString("url", ""), webhook.getString("secret", "")),
        breakerConfig(breaker), retryConfig(retry));
    String missing = switch (chosen) {
      case BUILTIN -> null;
      case ZENDESK -> config.zendesk().baseUrl().isBlank() || config.zendesk().email().isBlank()
          || config.zendesk().apiToken().isBlank() ? "helpdesk.zendesk.base_url, email and api_token" : null;
      case FRESHDESK -> config.freshdesk().baseUrl().isBlank() || config.freshdesk().apiKey().isBlank()
          ? "helpdesk.freshdesk.base_url and api_key" : null;
      case WEBHOOK -> config.webhook().url().isBlank() || !config.webhook().secret().startsWith("whsec_")
          ? "helpdesk.webhook.url and secret (whsec_<base64>)" : null;
    };
    if (missing != null) {
      throw new IllegalArgumentException("helpdesk.adapter is " + chosen.name().toLowerCase(Locale.ROOT)
          + " but " + missing + " are not set");
    }
    return config;
  }

  private static BreakerConfig breakerConfig(JsonObject breaker) {
    return new BreakerConfig(
        Duration.ofMillis(positive(breaker, "breaker.call_timeout_ms", 5_000L)),
        (int) positive(breaker, "breaker.failure_threshold", 5L),
        Duration.ofMillis(positive(breaker, "breaker.rolling_window_ms", 60_000L)),
        Duration.ofMillis(positive(breaker, "breaker.reset_timeout_ms", 30_000L)));
  }

  private static RetryConfig retryConfig(JsonObject retry) {
    return new RetryConfig(
        (int) positive(retry, "retry.max_attempts", 10L),
        Duration.ofMillis(positive(retry, "retry.base_delay_ms", 1_000L)),
        Duration.ofMillis(positive(retry, "retry.max_delay_ms", 300_000L)),
        Duration.ofMillis(positive(retry, "retry.poll_ms", 1_000L)),
        (int) positive(retry, "retry.batch_size", 50L),
        Duration.ofMillis(positive(retry, "retry.orphan_after_ms", 60_000L)));
  }

  private static OutboundConfig outboundConfig(JsonObject outbound) {
    return new OutboundConfig(
        channelSend("outbound.whatsapp", outbound.getJsonObject("whatsapp", new JsonObject()), "accounts",
            "https://graph.facebook.com", "v21.0"),
        channelSend("outbound.messenger", outbound.getJsonObject("messenger", new JsonObject()), "pages",
            "https://graph.facebook.com", "v21.0"),
        channelSend("outbound.twitter", outbound.getJsonObject("twitter", new JsonObject()), "accounts",
            "https://api.x.com", ""),
        breakerConfig(outbound.getJsonObject("breaker", new JsonObject())),
        retryConfig(outbound.getJsonObject("retry", new JsonObject())));
  }

  private static ChannelSendConfig channelSend(String path, JsonObject channel, String tokensKey, String baseUrl,
      String version) {
    Map<String, String> tokens = new LinkedHashMap<>();
    channel.getJsonObject(tokensKey, new JsonObject()).forEach(entry -> {
      if (!(entry.getValue() instanceof String token)) {
        throw new IllegalArgumentException(path + "." + tokensKey + "." + entry.getKey() + " must be a string");
      }
      tokens.put(entry.getKey(), token);
    });
    return new ChannelSendConfig(withoutSlash(channel.getString("base_url", baseUrl)),
        channel.getString("api_version", version), channel.getString("access_token", ""), Map.copyOf(tokens),
        channel.getString("default_account", ""));
  }

  private static String withoutSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static OperatorConfig operatorConfig(JsonObject operator) {
    JsonObject autoAssign = operator.getJsonObject("auto_assign", new JsonObject());
    Map<String, Boolean> assignQueues = new LinkedHashMap<>();
    autoAssign.getJsonObject("queues", new JsonObject()).forEach(entry -> {
      if (!(entry.getValue() instanceof JsonObject queue) || !(queue.getValue("enabled") instanceof Boolean on)) {
        throw new IllegalArgumentException("operator.auto_assign.queues." + entry.getKey()
            + " must be {enabled: true|false}");
      }
      assignQueues.put(entry.getKey(), on);
    });
    JsonObject escalation = operator.getJsonObject("escalation", new JsonObject());
    QueueEscalation defaults = queueEscalation("operator.escalation", escalation,
        new QueueEscalation(Duration.ZERO, true, ""));
    Map<String, QueueEscalation> escalationQueues = new LinkedHashMap<>();
    escalation.getJsonObject("queues", new JsonObject()).forEach(entry -> {
      if (!(entry.getValue() instanceof JsonObject queue)) {
        throw new IllegalArgumentException("operator.escalation.queues." + entry.getKey() + " must be a map");
      }
      escalationQueues.put(entry.getKey(),
          queueEscalation("operator.escalation.queues." + entry.getKey(), queue, defaults));
    });
    int history = operator.getInteger("wait_estimate_history", 50);
    long sweepMs = escalation.getLong("sweep_interval_ms", 5_000L);
    int batch = escalation.getInteger("batch_size", 100);
    if (history < 1 || sweepMs < 1 || batch < 1) {
      throw new IllegalArgumentException("operator.wait_estimate_history, operator.escalation.sweep_interval_ms and"
          + " operator.escalation.batch_size must be at least 1");
    }
    return new OperatorConfig(new AutoAssignConfig(autoAssign.getBoolean("enabled", true), Map.copyOf(assignQueues)),
        history, new EscalationConfig(Duration.ofMillis(sweepMs), batch, defaults, Map.copyOf(escalationQueues)));
  }

  private static QueueEscalation queueEscalation(String path, JsonObject json, QueueEscalation defaults) {
    long seconds = json.getLong("max_wait_seconds", defaults.maxWait().toSeconds());
    if (seconds < 0) {
      throw new IllegalArgumentException(path + ".max_wait_seconds must be 0 (never) or more");
    }
    String fallback = json.getString("fallback_queue", defaults.fallbackQueue());
    return new QueueEscalation(Duration.ofSeconds(seconds), json.getBoolean("raise_priority", defaults.raisePriority()),
        fallback == null ? "" : fallback.trim());
  }

  private static long positive(JsonObject section, String setting, long defaultValue) {
    long value = section.getLong(setting.substring(setting.indexOf('.') + 1), defaultValue);
    if (value <= 0) {
      throw new IllegalArgumentException(setting + " must be above 0, not " + value);
    }
    return value;
  }

  private static StorageMode storageMode(String mode, PostgresConfig pg) {
    return switch (mode.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> pg.url().isBlank() ? StorageMode.MEMORY : StorageMode.POSTGRES;
      case "memory" -> StorageMode.MEMORY;
      case "postgres" -> {
        if (pg.url().isBlank()) {
          throw new IllegalArgumentException(
              "storage.mode is postgres but storage.postgres.url (BATON_STORAGE_POSTGRES_URL) is empty");
        }
        yield StorageMode.POSTGRES;
      }
      default -> throw new IllegalArgumentException(
          "storage.mode must be auto, memory or postgres, not '" + mode + "'");
    };
  }
}
