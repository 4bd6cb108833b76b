package io.baton.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client for tests: opens a stream, parses its frames as they arrive, and lets
 * the test thread wait (bounded) for what it expects.
 */
public final class SseStream implements AutoCloseable {

  /** One event: its id, type and parsed data. */
  public record Frame(long id, String event, JsonObject data) {
  }

  private final HttpClientRequest request;
  private final HttpClientResponse response;
  private final Buffer errorBody;
  private final StringBuilder pending = new StringBuilder();
  private final List<Frame> frames = new ArrayList<>();
  private final List<String> retries = new ArrayList<>();
  private int comments;
  private boolean closed;

  private SseStream(HttpClientRequest request, HttpClientResponse response, Buffer errorBody) {
    this.request = request;
    this.response = response;
    this.errorBody = errorBody;
  }

  /** Opens {@code path}; answers once the response head (or a whole error answer) has arrived. */
  public static SseStream open(HttpClient client, String path, Map<String, String> headers) {
    return Await.result(client.request(HttpMethod.GET, path).compose(request -> {
      headers.forEach(request::putHeader);
      request.putHeader("Accept", "text/event-stream");
      return request.send().compose(response -> {
        if (response.statusCode() != 200) {
          return response.body().map(body -> new SseStream(request, response, body));
        }
        SseStream stream = new SseStream(request, response, null);
        response.handler(stream::received);
        response.endHandler(v -> stream.markClosed());
        response.exceptionHandler(failure -> stream.markClosed());
        request.connection().closeHandler(v -> stream.markClosed());
        return Future.succeededFuture(stream);
      });
    }));
  }

  public int statusCode() {
    return response.statusCode();
  }

  public MultiMap headers() {
    return response.headers();
  }

  /** The body of an answer that was not a stream (a problem). */
  public JsonObject problem() {
    return errorBody.toJsonObject();
  }

  private synchronized void received(Buffer chunk) {
    pending.append(chunk.toString());
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      parse(block);
    }
    notifyAll();
  }

  private void parse(String block) {
    Long id = null;
    String event = "message";
    StringBuilder data = null;
    for (String line : block.split("\n")) {
      if (line.startsWith(":")) {
        comments++;
      } else if (line.startsWith("retry: ")) {
        retries.add(line.substring(7));
      } else if (line.startsWith("id: ")) {
        id = Long.parseLong(line.substring(4));
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
      }
    }
    if (data != null) {
      frames.add(new Frame(id == null ? -1 : id, event, new JsonObject(data.toString())));
    }
  }

  private synchronized void markClosed() {
    closed = true;
    notifyAll();
  }

  public synchronized List<Frame> frames() {
    return List.copyOf(frames);
  }

  /** The frames of stored events (not {@code connected} or {@code reset}). */
  public synchronized List<Frame> events() {
    return frames.stream().filter(f -> !f.event().equals("connected") && !f.event().equals("reset")).toList();
  }

  public synchronized int comments() {
    return comments;
  }

  public synchronized List<String> retries() {
    return List.copyOf(retries);
  }

  public synchronized boolean closed() {
    return closed;
  }

  /** The first frame that matches, waiting for it at most {@code timeout}. */
  public synchronized Frame await(Predicate<Frame> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Frame frame : frames) {
        if (wanted.test(frame)) {
          return frame;
        }
      }
      waitUntil(deadline, "a matching frame; got " + frames);
    }
  }

  /** Waits until the stream has at least {@code count} stored events. */
  public synchronized List<Frame> awaitEvents(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (events().size() < count) {
      waitUntil(deadline, count + " events; got " + events());
    }
    return events();
  }

  /** Waits until the stream has {@code count} stored events or {@code max} has passed; answers whether it has. */
  public synchronized boolean waitForEvents(int count, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (events().size() < count && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return events().size() >= count;
  }

  public synchronized void awaitComments(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (comments < count) {
      waitUntil(deadline, count + " comment lines; got " + comments);
    }
  }

  public synchronized void awaitClosed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed) {
      waitUntil(deadline, "the server to close the stream");
    }
  }

  private void waitUntil(long deadline, String what) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new AssertionError("Timed out waiting for " + what);
    }
    try {
      wait(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  public void pause() {
    response.pause();
  }

  /**
   * The client goes away (as a browser does when the network drops). An answer that was not a
   * stream is complete and its connection back in the pool: closing it could break the next request.
   */
  @Override
  public void close() {
    if (errorBody == null && !closed()) {
      request.connection().close();
    }
  }
}
