package io.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.events.Event;
import io.baton.events.EventFilter;
import io.baton.events.EventTypes;
import io.baton.support.Await;
import io.baton.support.BatonInstance;
import io.baton.support.ContractCheck;
import io.baton.support.SseStream;
import io.baton.support.SseStream.Frame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Event streams over real HTTP, on both storage modes: frames and headers, filters, a handoff's
 * stream, keepalive, resume by id (including the exact-resume property under concurrent writers
 * and random disconnects) and the reset past retention.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class EventStreamsContract {

  protected static final Duration WAIT = Duration.ofSeconds(20);
  protected static final Map<String, String> ENV = Map.of("BATON_SSE_KEEPALIVE_MS", "200");

  protected BatonInstance baton;
  protected HttpClient http;
  private ContractCheck contract;
  private final List<SseStream> opened = Collections.synchronizedList(new ArrayList<>());

  protected abstract BatonInstance startBaton();

  @BeforeAll
  void start() {
    baton = startBaton();
    contract = new ContractCheck(baton.vertx);
    http = baton.vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(baton.port),
        new PoolOptions().setHttp1MaxSize(64));
  }

  @AfterEach
  void closeStreams() {
    opened.forEach(SseStream::close);
    opened.clear();
  }

  @AfterAll
  void stop() {
    Await.result(http.close());
    baton.close();
  }

  protected SseStream stream(String path) {
    return stream(path, Map.of());
  }

  protected SseStream stream(String path, Map<String, String> headers) {
    SseStream stream = SseStream.open(http, path, headers);
    opened.add(stream);
    return stream;
  }

  protected static String conversation() {
    return "conv-" + UUID.randomUUID();
  }

  /** A handoff routed to vip_support (tier vip), billing_support (a billing word) or general_support. */
  protected JsonObject createHandoff(String conversationId, String queue) {
    JsonObject body = new JsonObject().put("conversation_id", conversationId).put("user_id", "u-1")
        .put("messages", new JsonArray().add(new JsonObject().put("speaker", "user")
            .put("content", queue.equals("billing_support") ? "a question about my invoice" : "hello")));
    if (queue.equals("vip_support")) {
      body.put("metadata", new JsonObject().put("tier", "vip"));
    }
    HttpResponse<Buffer> response = Await.result(baton.client.post("/api/v1/handoff").sendJsonObject(body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject handoff = response.bodyAsJsonObject();
    assertThat(handoff.getString("assigned_queue")).isEqualTo(queue);
    return handoff;
  }

  protected void cancel(String handoffId) {
    HttpResponse<Buffer> response = Await.result(baton.client.post("/api/v1/handoffs/" + handoffId + "/cancel")
        .sendJsonObject(new JsonObject()));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  private List<Event> log() {
    return Await.result(baton.app.storage().eventFeed().read(0, Long.MAX_VALUE, null, Integer.MAX_VALUE));
  }

  @Test
  void aStreamStartsWithItsHeadersARetryHintAndAConnectedEvent() {
    SseStream stream = stream("/api/v1/events");

    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().get("Content-Type")).isEqualTo("text/event-stream");
    assertThat(stream.headers().get("Cache-Control")).isEqualTo("no-cache");
    assertThat(stream.headers().get("X-Accel-Buffering")).isEqualTo("no");
    assertThat(stream.headers().get("X-Request-Id")).isNotBlank();
    Frame connected = stream.await(f -> true, WAIT);
    assertThat(connected.event()).isEqualTo("connected");
    assertThat(connected.data().getString("type")).isEqualTo("connected");
    assertThat(connected.data().getLong("event_id")).isEqualTo(connected.id());
    assertThat(stream.retries()).containsExactly("3000");
  }

  @Test
  void eachEventIsOneFrameWithItsIdTypeAndFields() {
    String conversationId = conversation();
    SseStream stream = stream("/api/v1/events?conversation_id=" + conversationId);
    stream.await(f -> f.event().equals("connected"), WAIT);

    JsonObject handoff = createHandoff(conversationId, "general_support");

    Frame created = stream.await(f -> f.event().equals(EventTypes.HANDOFF_CREATED), WAIT);
    JsonObject data = created.data();
    assertThat(data.fieldNames()).containsExactlyInAnyOrder(
        "type", "event_id", "handoff_id", "conversation_id", "queue", "agent_id", "at", "data", "tenant");
    assertThat(data.getString("tenant")).isEqualTo("default");
    assertThat(data.getString("type")).isEqualTo(EventTypes.HANDOFF_CREATED);
    assertThat(data.getLong("event_id")).isEqualTo(created.id());
    assertThat(data.getString("handoff_id")).isEqualTo(handoff.getString("handoff_id"));
    assertThat(data.getString("conversation_id")).isEqualTo(conversationId);
    assertThat(data.getString("queue")).isEqualTo("general_support");
    assertThat(Instant.parse(data.getString("at"))).isNotNull();
  }

  @Test
  void filtersByQueueAndTypes() {
    SseStream vipCreated = stream("/api/v1/events?queue=vip_support&types=handoff.created,handoff.assigned");
    SseStream cancelled = stream("/api/v1/events?types=handoff.cancelled");
    vipCreated.await(f -> f.event().equals("connected"), WAIT);
    cancelled.await(f -> f.event().equals("connected"), WAIT);

    JsonObject general = createHandoff(conversation(), "general_support");
    JsonObject vip = createHandoff(conversation(), "vip_support");
    cancel(vip.getString("handoff_id"));
    cancel(general.getString("handoff_id"));
    // A last matching event: once it is in, everything before it has been filtered.
    JsonObject sentinel = createHandoff(conversation(), "vip_support");

    List<Frame> cancels = cancelled.awaitEvents(2, WAIT);
    assertThat(cancels).extracting(f -> f.data().getString("handoff_id"))
        .containsExactly(vip.getString("handoff_id"), general.getString("handoff_id"));
    assertThat(cancels).extracting(Frame::event).containsOnly(EventTypes.HANDOFF_CANCELLED);
    assertThat(vipCreated.awaitEvents(2, WAIT)).extracting(f -> f.data().getString("handoff_id"), Frame::event)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(vip.getString("handoff_id"), EventTypes.HANDOFF_CREATED),
            org.assertj.core.groups.Tuple.tuple(sentinel.getString("handoff_id"), EventTypes.HANDOFF_CREATED));
  }

  @Test
  void filtersByAgent() {
    String agent = "agent-" + UUID.randomUUID();
    SseStream agentStream = stream("/api/v1/events?agent_id=" + agent + "&types=handoff.assigned,handoff.resolved");
    agentStream.await(f -> f.event().equals("connected"), WAIT);
    String other = createHandoff(conversation(), "general_support").getString("handoff_id");
    String mine = createHandoff(conversation(), "general_support").getString("handoff_id");

    assign(other, "agent-someone-else");
    assign(mine, agent);
    HttpResponse<Buffer> resolved = Await.result(baton.client.post("/api/v1/handoffs/" + mine + "/resolve")
        .sendJsonObject(new JsonObject().put("resolution", "done")));
    assertThat(resolved.statusCode()).as(resolved.bodyAsString()).isEqualTo(200);

    List<Frame> events = agentStream.awaitEvents(2, WAIT);
    assertThat(events).extracting(Frame::event).containsExactly(EventTypes.HANDOFF_ASSIGNED, EventTypes.HANDOFF_RESOLVED);
    assertThat(events).extracting(f -> f.data().getString("handoff_id")).containsOnly(mine);
    assertThat(events).extracting(f -> f.data().getString("agent_id")).containsOnly(agent);
  }

  private void assign(String handoffId, String agentId) {
    HttpResponse<Buffer> response = Await.result(baton.client.post("/api/v1/handoffs/" + handoffId + "/assign")
        .sendJsonObject(new JsonObject().put("agent_id", agentId)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  @Test
  void aHandoffsStreamReplaysItsEventsAndFollowsThem() {
    String conversationId = conversation();
    SseStream before = stream("/api/v1/events?conversation_id=" + conversationId);
    long position = before.await(f -> f.event().equals("connected"), WAIT).id();
    JsonObject handoff = createHandoff(conversationId, "general_support");
    String id = handoff.getString("handoff_id");
    createHandoff(conversation(), "general_support");

    SseStream stream = stream("/api/v1/handoffs/" + id + "/events", Map.of("Last-Event-ID", Long.toString(position)));
    stream.awaitEvents(1, WAIT);
    cancel(id);

    // The handoff's built-in ticket is part of its story.
    List<Frame> events = stream.awaitEvents(3, WAIT);
    assertThat(events).extracting(Frame::event).containsExactly(EventTypes.HANDOFF_CREATED, EventTypes.TICKET_CREATED,
        EventTypes.HANDOFF_CANCELLED);
    assertThat(events).extracting(f -> f.data().getString("handoff_id")).containsOnly(id);
  }

  @Test
  void anUnknownHandoffsStreamIsANotFoundProblem() {
    SseStream stream = stream("/api/v1/handoffs/ho-unknown/events");

    assertThat(stream.statusCode()).isEqualTo(404);
    assertThat(stream.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(stream.problem().getString("detail")).isNotBlank();
    contract.validate("streamHandoffEvents", Await.result(baton.client.get("/api/v1/handoffs/ho-unknown/events").send()));
  }

  @Test
  void aMalformedLastEventIdIsAValidationProblem() {
    HttpResponse<Buffer> response = Await.result(baton.client.get("/api/v1/events")
        .putHeader("Last-Event-ID", "abc").send());

    contract.validate("streamEvents", response);
    assertThat(response.statusCode()).isEqualTo(422);
  }

  @Test
  void anIdleStreamGetsKeepaliveComments() {
    SseStream stream = stream("/api/v1/events?conversation_id=" + conversation());

    stream.awaitComments(2, WAIT);
    assertThat(stream.events()).isEmpty();
  }

  @Test
  void resumingWithLastEventIdSendsExactlyWhatWasMissedThenContinuesLive() {
    String conversationId = conversation();
    String path = "/api/v1/events?conversation_id=" + conversationId;
    SseStream first = stream(path);
    first.await(f -> f.event().equals("connected"), WAIT);
    JsonObject handoff = createHandoff(conversationId, "general_support");
    long lastSeen = first.await(f -> f.event().equals(EventTypes.HANDOFF_CREATED), WAIT).id();
    first.close();
    first.awaitClosed(WAIT);

    cancel(handoff.getString("handoff_id"));
    JsonObject second = createHandoff(conversationId, "billing_support");
    SseStream resumed = stream(path, Map.of("Last-Event-ID", Long.toString(lastSeen)));
    resumed.awaitEvents(2, WAIT);
    cancel(second.getString("handoff_id"));

    List<Frame> events = resumed.awaitEvents(3, WAIT);
    List<Long> expected = log().stream()
        .filter(e -> conversationId.equals(e.conversationId()) && e.id() > lastSeen).map(Event::id).toList();
    assertThat(events).extracting(Frame::id).containsExactlyElementsOf(expected);
    assertThat(events).extracting(Frame::event).containsExactly(EventTypes.HANDOFF_CANCELLED,
        EventTypes.HANDOFF_CREATED, EventTypes.HANDOFF_CANCELLED);
    assertThat(resumed.frames().getFirst().event()).isEqualTo("connected");
    assertThat(resumed.frames().getFirst().id()).isEqualTo(lastSeen);
  }

  @Test
  void theQueryParameterResumesLikeTheHeader() {
    String conversationId = conversation();
    SseStream first = stream("/api/v1/events?conversation_id=" + conversationId);
    long position = first.await(f -> f.event().equals("connected"), WAIT).id();
    createHandoff(conversationId, "vip_support");

    SseStream resumed = stream("/api/v1/events?conversation_id=" + conversationId + "&last_event_id=" + position);

    assertThat(resumed.awaitEvents(1, WAIT)).extracting(Frame::event)
        .containsExactly(EventTypes.HANDOFF_CREATED);
  }

  @Test
  void resumingFromAnIdPastTheRetentionGetsAResetThenLiveEvents() {
    String conversationId = conversation();
    SseStream first = stream("/api/v1/events?conversation_id=" + conversationId);
    first.await(f -> f.event().equals("connected"), WAIT);
    String handoffId = createHandoff(conversationId, "general_support").getString("handoff_id");
    long lastSeen = first.awaitEvents(1, WAIT).getLast().id();
    // Retention removes everything up to now.
    Await.result(baton.app.storage().eventFeed().prune(Instant.now().plusSeconds(60), Long.MAX_VALUE, 1_000_000));

    SseStream resumed = stream("/api/v1/events?conversation_id=" + conversationId,
        Map.of("Last-Event-ID", Long.toString(lastSeen - 1)));
    Frame reset = resumed.await(f -> f.event().equals("reset"), WAIT);
    cancel(handoffId);

    assertThat(reset.id()).isGreaterThanOrEqualTo(lastSeen);
    assertThat(reset.data().getString("type")).isEqualTo("reset");
    assertThat(resumed.awaitEvents(1, WAIT)).extracting(Frame::event).containsExactly(EventTypes.HANDOFF_CANCELLED);
    assertThat(resumed.frames()).extracting(Frame::event)
        .containsExactly("connected", "reset", EventTypes.HANDOFF_CANCELLED);
  }

  /**
   * The exact-resume property: writers create and cancel handoffs concurrently while clients with
   * different filters disconnect at random and resume with Last-Event-ID. Each client's events,
   * over all its connections, are the log filtered for it: nothing missing, doubled or reordered.
   */
  @Test
  void everyClientGetsExactlyTheLogFilteredForItDespiteDisconnects() throws Exception {
    List<EventFilter> filters = List.of(
        EventFilter.ALL,
        new EventFilter(null, "vip_support", null, null, null, Set.of()),
        new EventFilter(null, null, null, null, null, Set.of(EventTypes.HANDOFF_CANCELLED)),
        new EventFilter(null, "billing_support", null, null, null, Set.of(EventTypes.HANDOFF_CREATED)),
        EventFilter.ALL);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<ResumingClient> clients = new ArrayList<>();
    for (EventFilter filter : filters) {
      clients.add(new ResumingClient(filter));
    }
    clients.forEach(ResumingClient::connectFirst);
    List<Thread> threads = new ArrayList<>();
    clients.forEach(client -> threads.add(Thread.ofVirtual().start(() -> client.run(writing))));

    List<String> queues = List.of("vip_support", "billing_support", "general_support");
    List<Thread> writers = new ArrayList<>();
    List<Throwable> writeFailures = Collections.synchronizedList(new ArrayList<>());
    for (int w = 0; w < 4; w++) {
      writers.add(Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < 30; i++) {
            JsonObject handoff = createHandoff(conversation(), queues.get(ThreadLocalRandom.current().nextInt(3)));
            if (ThreadLocalRandom.current().nextBoolean()) {
              cancel(handoff.getString("handoff_id"));
            }
          }
        } catch (Throwable e) {
          writeFailures.add(e);
        }
      }));
    }
    for (Thread writer : writers) {
      assertThat(writer.join(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(writeFailures).isEmpty();
    List<Event> log = log();
    long last = log.getLast().id();
    for (ResumingClient client : clients) {
      client.target = last;
    }
    writing.set(false);
    for (Thread thread : threads) {
      assertThat(thread.join(Duration.ofSeconds(60))).isTrue();
    }

    for (ResumingClient client : clients) {
      List<Long> expected = log.stream()
          .filter(e -> e.id() > client.start && client.filter.matches(e)).map(Event::id).toList();
      assertThat(client.failure).as("client %s", client.filter).isNull();
      assertThat(client.received).as("client %s after %d connections", client.filter, client.connections)
          .containsExactlyElementsOf(expected);
      assertThat(client.connections).isGreaterThan(1);
    }
  }

  /** A client that reads a few events, drops the connection, and resumes from the last id it got. */
  private final class ResumingClient {
    final EventFilter filter;
    final String query;
    final List<Long> received = new ArrayList<>();
    long start;
    long position;
    volatile long target = Long.MAX_VALUE;
    int connections;
    Throwable failure;

    ResumingClient(EventFilter filter) {
      this.filter = filter;
      List<String> params = new ArrayList<>();
      if (filter.queue() != null) {
        params.add("queue=" + filter.queue());
      }
      if (!filter.types().isEmpty()) {
        params.add("types=" + String.join(",", filter.types()));
      }
      this.query = "/api/v1/events" + (params.isEmpty() ? "" : "?" + String.join("&", params));
    }

    void connectFirst() {
      SseStream stream = stream(query);
      start = stream.await(f -> f.event().equals("connected"), WAIT).id();
      position = start;
      stream.close();
      stream.awaitClosed(WAIT);
      connections++;
    }

    void run(AtomicBoolean writing) {
      try {
        while (position < lastWanted()) {
          SseStream stream = stream(query, Map.of("Last-Event-ID", Long.toString(position)));
          connections++;
          stream.waitForEvents(1 + ThreadLocalRandom.current().nextInt(12),
              Duration.ofMillis(writing.get() ? 500 : 2_000));
          stream.close();
          stream.awaitClosed(WAIT);
          for (Frame frame : stream.events()) {
            received.add(frame.id());
            position = frame.id();
          }
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    /** The last event of the final log this client wants; until the writers stop, unknown. */
    private long lastWanted() {
      if (target == Long.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
      return log().stream().filter(e -> e.id() > start && e.id() <= target && filter.matches(e))
          .mapToLong(Event::id).max().orElse(start);
    }
  }

  protected static Map<String, String> env(Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(ENV);
    all.putAll(extra);
    return all;
  }
}
