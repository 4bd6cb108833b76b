package io.baton.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the test Redis, given to Baton as its Redis, that a test can cut: armed
 * with a pattern, it goes down the moment a client sends a command containing it (that command is
 * not forwarded, every connection is closed, new ones are closed at once) until {@link #restore()}.
 * That is Redis failing at a chosen point of a request, with no change to Baton.
 */
public final class RedisProxy implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final NetClient client;
  private final String redisHost;
  private final int redisPort;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile String cutOn;
  private volatile boolean down;

  public RedisProxy() {
    URI redis = URI.create(TestServices.redisUrl());
    redisHost = redis.getHost();
    redisPort = redis.getPort() < 0 ? 6379 : redis.getPort();
    client = vertx.createNetClient();
    server = Await.result(vertx.createNetServer().connectHandler(this::accept).listen(0, "127.0.0.1"));
  }

  /** Baton's redis.url for the proxy. */
  public String url() {
    return "redis://127.0.0.1:" + server.actualPort();
  }

  /** Goes down when a client's command contains {@code pattern}. */
  public void cutWhenSent(String pattern) {
    cutOn = pattern;
  }

  public boolean isDown() {
    return down;
  }

  /** Up again; disarmed. */
  public void restore() {
    cutOn = null;
    down = false;
  }

  private void accept(NetSocket downstream) {
    if (down) {
      downstream.close();
      return;
    }
    downstream.pause();
    open.add(downstream);
    downstream.closeHandler(v -> open.remove(downstream));
    client.connect(redisPort, redisHost).onComplete(connected -> {
      if (connected.failed() || down) {
        downstream.close();
        if (connected.succeeded()) {
          connected.result().close();
        }
        return;
      }
      NetSocket upstream = connected.result();
      open.add(upstream);
      upstream.closeHandler(v -> {
        open.remove(upstream);
        downstream.close();
      });
      downstream.closeHandler(v -> {
        open.remove(downstream);
        upstream.close();
      });
      upstream.handler(downstream::write);
      downstream.handler(command -> forward(command, upstream));
      downstream.resume();
    });
  }

  private void forward(Buffer command, NetSocket upstream) {
    String pattern = cutOn;
    if (down || (pattern != null && command.toString(StandardCharsets.ISO_8859_1).contains(pattern))) {
      down = true;
      open.forEach(NetSocket::close);
      return;
    }
    upstream.write(command);
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
