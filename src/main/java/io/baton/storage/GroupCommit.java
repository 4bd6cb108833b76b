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
import java.util.function.Function;

/**
 * Group commit for one SQL statement. A unit is one or more executions of the statement (each a
 * tuple of parameters, answering one row) that must commit together. Units that arrive while every slot is busy wait, and then run together in one
 * transaction, so one WAL flush makes many of them durable. An idle writer takes its next batch once the
 * current turn of the submitter's event loop ends: the units submitted in that turn (a webhook's
 * conversations, say) go out together instead of the first alone and the rest after it. Batches never
 * wait for a timer.
 *
 * <p>Units run in the order of their {@code lockOrder} key (stable, so a unit's statements keep
 * theirs): two batches that lock the same rows lock them in the same order and never deadlock on
 * each other. When a batch fails, its units are run again one by one, so that one unit's failure
 * never fails its neighbours.
 *
 * <p>A batch runs either as each tuple's execution in one transaction, or as one statement that takes
 * the whole batch at once (its tuples turned into arrays): one round trip, no transaction to open,
 * and the database plans and runs one statement instead of dozens.
 */
public final class GroupCommit {

  /** How a batch runs: atomically, answering one row per tuple, in their order. */
  public interface Execution {
    Future<List<Row>> run(Pool pool, List<Tuple> tuples);

    /** Tuples in one batch at most (a unit larger than this runs alone). */
    int maxTuples();
  }

  /** The statement executed once per tuple, in one transaction (a single tuple: alone, autocommit). */
  public static Execution eachInOneTransaction(String sql) {
    return new Execution() {
      @Override
      public Future<List<Row>> run(Pool pool, List<Tuple> tuples) {
        return tuples.size() == 1
            ? pool.preparedQuery(sql).execute(tuples.getFirst()).map(rows -> List.of(rows.iterator().next()))
            : pool.withTransaction(tx -> tx.preparedQuery(sql).executeBatch(tuples)).map(GroupCommit::firstRowOfEach);
      }

      @Override
      public int maxTuples() {
        return EXECUTIONS_PER_TRANSACTION;
      }
    };
  }

  /**
   * One execution for the whole batch: {@code combine} turns its tuples into the statement's
   * parameters (arrays, unnested in order), and the statement answers one row per tuple, in their
   * order. A single statement is atomic: no transaction is opened.
   */
  public static Execution asOneStatement(String sql, Function<List<Tuple>, Tuple> combine) {
    return new Execution() {
      @Override
      public Future<List<Row>> run(Pool pool, List<Tuple> tuples) {
        return pool.preparedQuery(sql).execute(combine.apply(tuples)).map(rows -> {
          List<Row> each = new ArrayList<>(tuples.size());
          rows.forEach(each::add);
          if (each.size() != tuples.size()) {
            throw new IllegalStateException("A batch of " + tuples.size() + " answered " + each.size() + " rows");
          }
          return each;
        });
      }

      @Override
      public int maxTuples() {
        return TUPLES_PER_STATEMENT;
      }
    };
  }

  /** Executions in one transaction at most: each is a round of parsing and planning for the database. */
  static final int EXECUTIONS_PER_TRANSACTION = 64;
  /**
   * Tuples in one statement at most: its cost per tuple falls as it grows, while the batch's own time
   * grows with it (bench/RESULTS.md, ingest).
   */
  static final int TUPLES_PER_STATEMENT = 256;
  /** Units waiting at most; beyond, a unit is refused (503) rather than queued. */
  static final int MAX_WAITING = 8_192;

  private final Pool pool;
  private final Execution execution;
  private final int maxRunning;
  private final ArrayDeque<Unit> waiting = new ArrayDeque<>();
  private int running;
  /** A take of the next batch is scheduled (at the end of a submitter's event-loop turn). */
  private boolean takeScheduled;

  /** {@code maxRunning}: how many batches may run at once (at most the pool size). */
  public GroupCommit(Pool pool, Execution execution, int maxRunning) {
    this.pool = pool;
    this.execution = execution;
    this.maxRunning = Math.max(1, maxRunning);
  }

  private record Unit(String lockOrder, List<Tuple> statements, Promise<List<Row>> promise) {
  }

  /** Runs the unit's statements together, atomically; answers each one's row, on the caller's context. */
  public Future<List<Row>> submit(String lockOrder, List<Tuple> statements) {
    if (statements.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Context caller = Vertx.currentContext();
    Promise<List<Row>> promise = Promise.promise();
    boolean take;
    synchronized (this) {
      if (waiting.size() >= MAX_WAITING) {
        return Future.failedFuture(new BatonException(BatonError.UNAVAILABLE,
            "Too many writes are waiting for the database; retry shortly"));
      }
      waiting.add(new Unit(lockOrder, statements, promise));
      take = !takeScheduled;
      takeScheduled = true;
    }
    if (take) {
      if (caller == null) {
        takeNext();
      } else {
        caller.runOnContext(turnEnded -> takeNext());
      }
    }
    return onCallerContext(caller, promise.future());
  }

  /**
   * {@code result}, completed on {@code caller} (when there is one): a shared write finishes on
   * whichever connection's thread ran it, and each of its callers goes on on its own event loop.
   */
  public static <T> Future<T> onCallerContext(Context caller, Future<T> result) {
    return caller == null ? result : Future.future(answer ->
        result.onComplete(done -> caller.runOnContext(v -> answer.handle(done))));
  }

  /** Fills the free slots with batches of what waits. */
  private void takeNext() {
    synchronized (this) {
      takeScheduled = false;
    }
    for (List<Unit> batch = takeBatch(); batch != null; batch = takeBatch()) {
      run(batch);
    }
  }

  private synchronized List<Unit> takeBatch() {
    return nextBatch();
  }

  /** Takes the next batch off the queue if a slot is free; the caller holds the lock. */
  private List<Unit> nextBatch() {
    if (waiting.isEmpty() || running >= maxRunning) {
      return null;
    }
    running++;
    List<Unit> batch = new ArrayList<>();
    int statements = 0;
    while (!waiting.isEmpty() && (batch.isEmpty() || statements + waiting.peek().statements().size() <= execution.maxTuples())) {
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
    execution.run(pool, statements).onComplete(done -> {
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
        batch.forEach(unit -> execution.run(pool, unit.statements()).onComplete(unit.promise()));
      }
    });
  }

  private static List<Row> firstRowOfEach(RowSet<Row> first) {
    List<Row> rows = new ArrayList<>();
    for (RowSet<Row> result = first; result != null; result = result.next()) {
      rows.add(result.iterator().next());
    }
    return rows;
  }
}
