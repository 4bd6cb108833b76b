package io.baton.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on open event streams, shared by the HTTP verticles of one process: in total, and per
 * client address. A stream over a cap is refused (503) before anything is read for it.
 */
public final class StreamLimits {

  private final int maxStreams;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

  public StreamLimits(int maxStreams, int maxPerClient) {
    this.maxStreams = maxStreams;
    this.maxPerClient = maxPerClient;
  }

  /** Takes a place for {@code client}; answers null when it got one, else why not. */
  String tryOpen(String client) {
    if (open.incrementAndGet() > maxStreams) {
      open.decrementAndGet();
      return "This instance already serves " + maxStreams + " event streams; retry shortly";
    }
    boolean[] granted = {false};
    perClient.compute(client, (address, count) -> {
      int current = count == null ? 0 : count;
      if (current >= maxPerClient) {
        return count;
      }
      granted[0] = true;
      return current + 1;
    });
    if (!granted[0]) {
      open.decrementAndGet();
      return "This client already has " + maxPerClient + " event streams open; retry shortly";
    }
    return null;
  }

  void release(String client) {
    open.decrementAndGet();
    perClient.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
  }

  /** Streams open now, on every HTTP verticle of the process. */
  public int open() {
    return open.get();
  }
}
