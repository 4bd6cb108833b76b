package io.baton.storage;

import io.baton.bus.BatonError;
import io.baton.bus.BatonException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Group commit for one SQL statement. A unit is one or more executions of the statement that must
 * commit together. Units that arrive while every slot is busy wait, and then run together in one
 * transaction, so one WAL flush makes many of them durable. An idle writer runs a unit at once, alone; batches only form under
 * load and never wait for a timer.
 *
 * <p>Units run in the order of their {@code lockOrder} key (stable, so a unit's statements keep
 * theirs): two batches that lock the same rows lock them in the same order and never deadlock on
 * each other. When a batch fails, its units are run again one by one, so that one unit's failure
 * never fails its neighbours.
 */
public final class GroupCommit {

  /** Statements in one transaction at most (a unit larger than this runs alone). */
  static final int MAX_BATCH = 64;
  /** Units waiting at most; beyond, a unit is refused (503) rather than queued. */
  static final int MAX_WAITING = 8_192;

  private final Pool pool;
  private final String sql;
  private final int maxRunning;
  private final ArrayDeque<Unit> waiting = new ArrayDeque<>();
  private int running;

  /** {@code maxRunning}: how many transactions of this statement may run at once (at most the pool size). */
  public GroupCommit(Pool pool, String sql, int maxRunning) {
    this.pool = pool;
    this.sql = sql;
    this.maxRunning = Math.max(1, maxRunning);
  }

  private record Unit(String lockOrder, List<Tuple> statements, Promise<List<RowSet<Row>>> promise) {
  }

  /** Runs the unit's statements in one transaction; answers each statement's rows, on the caller's context. */
  public Future<List<RowSet<Row>>> submit(String lockOrder, List<Tuple> statements) {
    if (statements.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Context caller = Vertx.currentContext();
    Promise<List<RowSet<Row>>> promise = Promise.promise();
    List<Unit> batch;
    synchronized (this) {
      if (waiting.size() >= MAX_WAITING) {
        return Future.failedFuture(new BatonException(BatonError.UNAVAILABLE,
            "Too many writes are waiting for the database; retry shortly"));
      }
      waiting.add(new Unit(lockOrder, statements, promise));
      batch = nextBatch();
    }
    if (batch != null) {
      run(batch);
    }
    // Answer on the caller's event loop, whichever connection's thread finished the batch.
    return caller == null ? promise.future() : Future.future(answer ->
        promise.future().onComplete(result -> caller.runOnContext(v -> answer.handle(result))));
  }

  /** Takes the next batch off the queue if a slot is free; the caller holds the lock. */
  private List<Unit> nextBatch() {
    if (waiting.isEmpty() || running >= maxRunning) {
      return null;
    }
    running++;
    List<Unit> batch = new ArrayList<>();
    int statements = 0;
    while (!waiting.isEmpty() && (batch.isEmpty() || statements + waiting.peek().statements().size() <= MAX_BATCH)) {
      Unit unit = waiting.poll();
      batch.add(unit);
      statements += unit.statements().size();
    }
    return batch;
  }

  private void run(List<Unit> batch) {
    batch.sort(Comparator.comparing(Unit::lockOrder));
    List<Tuple> statements = new ArrayList<>();
    batch.forEach(unit -> statements.addAll(unit.statements()));
    execute(statements).onComplete(done -> {
      List<Unit> next;
      synchronized (this) {
        running--;
        next = nextBatch();
      }
      if (next != null) {
        run(next);
      }
      if (done.succeeded()) {
        int from = 0;
        for (Unit unit : batch) {
          int to = from + unit.statements().size();
          unit.promise().complete(done.result().subList(from, to));
          from = to;
        }
      } else if (batch.size() == 1) {
        batch.getFirst().promise().fail(done.cause());
      } else {
        batch.forEach(unit -> execute(unit.statements()).onComplete(unit.promise()));
      }
    });
  }

  /** One statement alone is one round trip (autocommit); more are one transaction, sent together. */
  private Future<List<RowSet<Row>>> execute(List<Tuple> statements) {
    if (statements.size() == 1) {
      return pool.preparedQuery(sql).execute(statements.getFirst()).map(List::of);
    }
    return pool.withTransaction(tx -> tx.preparedQuery(sql).executeBatch(statements)).map(GroupCommit::each);
  }

  private static List<RowSet<Row>> each(RowSet<Row> first) {
    List<RowSet<Row>> results = new ArrayList<>();
    for (RowSet<Row> result = first; result != null; result = result.next()) {
      results.add(result);
    }
    return results;
  }
}
