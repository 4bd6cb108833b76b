#!/usr/bin/env bash
# Load scenarios. Not part of CI: the machine is shared and noisy, so figures are recorded by hand
# in bench/RESULTS.md, with the command that produced them.
#
#   bench/run.sh create     POST /api/v1/handoff against PostgreSQL vs. pgbench's insert ceiling
#   bench/run.sh triggers   JMH: trigger engine and router, per evaluation
#   bench/run.sh assign     create -> assign -> resolve cycles per second against PostgreSQL, and the latency
#                           of an assign when RACERS clients assign the same handoff at once
#   bench/run.sh ingest     signed WhatsApp webhooks (MESSAGES per POST, 10 % repeated POSTs, bursts per
#                           conversation): messages/s acknowledged, ack p99, ratio to a plain Vert.x
#                           endpoint, a count check (every unique message dispatched to a fake bot once), and
#                           CPU per stored message of Baton, PostgreSQL and Redis over the whole run; with RATE
#                           (POSTs/s) an open loop. bench/out/ keeps the slowest answer of each second
#                           (ingest-load-*.log) and Baton's own webhook latency histogram (ingest-server-latency-*.txt)
#   bench/run.sh helpdesk-outage  creates while a fake Zendesk fails for OUTAGE (30) s from OUTAGE_AT (10) s
#                           of DURATION (60) s: handoffs kept, tickets created, duplicates, lost, drain time
#   bench/run.sh sse        STREAMS event streams held open while handoffs are created at RATE/s:
#                           events/s delivered, event-to-client latency, heap and RSS per stream
#
# Settings (environment): ROUNDS (3), CONNECTIONS (64), WARMUP (30 s: the JIT needs it), DURATION (20 s),
# PG_CLIENTS (8), BENCH_PORT (8100), BENCH_DB (baton_bench: dropped and created),
# PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres), BATON_JAVA_OPTS (JVM options for Baton, e.g. a profiler);
# for assign also RACERS (8). assign's two scenarios take WARMUP + DURATION each; for sse: STREAMS (200),
# RATE (100 creates/s), HOLD (5 s), DURATION; for ingest PLAIN=0 skips the plain endpoint's run (no ratio, 0 shown),
# which halves an open-loop sweep's time.
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=${1:-}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-20}
PG_CLIENTS=${PG_CLIENTS:-8}
BENCH_PORT=${BENCH_PORT:-8100}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=${BENCH_DB:-baton_bench}
OUT=bench/out
mkdir -p "$OUT"

java_home() {
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [ "${major:-0}" -ge 21 ] && { echo "$candidate"; return; }
  done
  echo "no JDK 21+ found" >&2; exit 1
}
export JAVA_HOME=$(java_home) PATH="$(java_home)/bin:$PATH"

# CPU seconds used so far by the given processes (user + system), and by the PostgreSQL server's processes.
cpu_seconds() { cat $(printf '/proc/%s/stat ' "$@") 2>/dev/null | awk -v hz="$(getconf CLK_TCK)" '{t += $14 + $15} END {printf "%.2f", t / hz}'; }
postgres_cpu_seconds() { cpu_seconds $(pgrep -x postgres); }
redis_cpu_seconds() { redis-cli INFO cpu | awk -F: '/^used_cpu_(user|sys):/ {t += $2} END {printf "%.2f", t}'; }
# Busy and total CPU ticks of the whole machine so far (every process: Baton, the databases, the load).
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }
# Customer messages Baton has stored so far (its /stats).
stored_messages() { curl -fs "http://127.0.0.1:$BENCH_PORT/stats" | sed -n 's/.*"ingest":{[^}]*"messages":\([0-9]*\).*/\1/p'; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

machine() {
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)," \
    "PostgreSQL $(psql -tAc 'show server_version' postgres), synchronous_commit=$(psql -tAc 'show synchronous_commit' postgres)," \
    "autovacuum=$(psql -tAc 'show autovacuum' postgres)"
}

fresh_database() {
  [ -f target/baton.jar ] || mvn -q -B -DskipTests package
  psql -q -c "DROP DATABASE IF EXISTS $DB" postgres
  psql -q -c "CREATE DATABASE $DB" postgres
}

# What autovacuum would do now, with its default thresholds: vacuum the tables with more dead rows than 50
# plus 20 % of the table (awaiting_bot, whose every row is deleted a few milliseconds after it is written,
# bloats without it), and analyze those with more than 50 rows plus 10 % changed since the last analyze.
# Analyzing everything every time cost PostgreSQL a tenth of the CPU of the ingest load once the tables
# had grown.
vacuum_and_analyze_as_autovacuum() {
  local table
  for table in $(psql -tA -d "$DB" -c "SELECT quote_ident(relname) FROM pg_stat_user_tables
      WHERE n_dead_tup > 50 + 0.2 * n_live_tup" 2>/dev/null); do
    psql -q -d "$DB" -c "VACUUM $table" 2>/dev/null || true
  done
  for table in $(psql -tA -d "$DB" -c "SELECT quote_ident(relname) FROM pg_stat_user_tables
      WHERE n_mod_since_analyze > 50 + 0.1 * n_live_tup" 2>/dev/null); do
    psql -q -d "$DB" -c "ANALYZE $table" 2>/dev/null || true
  done
}

# Starts Baton in postgres mode on $DB and waits until it answers; its pid is in $baton. Rate limits
# are off: the load comes from one address, and the benchmarks measure the service, not its limiter.
start_baton() {
  local log="$OUT/baton-$1-$2.log"
  BATON_HTTP_PORT=$BENCH_PORT \
  BATON_LIMITS_RATE_ENABLED=false \
  BATON_STORAGE_POSTGRES_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" \
    java ${BATON_JAVA_OPTS:-} -jar target/baton.jar > "$log" 2>&1 &
  baton=$!
  # A failing load generator must not leave Baton running.
  trap 'kill -TERM "$baton" 2>/dev/null || true' EXIT
  # With autovacuum off (as on some test servers) nothing refreshes the planner's statistics while
  # the tables grow from empty, and plans made for an empty table stay, and nothing removes dead rows:
  # vacuum and analyze as autovacuum would.
  analyzer=
  if [ "$(psql -tAc 'show autovacuum' postgres)" = off ]; then
    (while kill -0 "$baton" 2>/dev/null; do sleep 10; vacuum_and_analyze_as_autovacuum; done) &
    analyzer=$!
  fi
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$BENCH_PORT/health" >/dev/null 2>&1 && return
    sleep 1
  done
  tail -20 "$log"
  exit 1
}

stop_baton() {
  kill -TERM "$baton"
  wait "$baton" || true
  [ -z "$analyzer" ] || { kill "$analyzer" 2>/dev/null; wait "$analyzer" 2>/dev/null || true; }
  trap - EXIT
}

create() {
  fresh_database
  # pgbench's table lives in a schema of its own, away from Baton's.
  psql -q -d "$DB" -c "CREATE SCHEMA ceiling; CREATE TABLE ceiling.handoffs (id bigserial PRIMARY KEY,
    conversation_id text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
  cat > "$OUT/insert.sql" <<'SQL'
INSERT INTO ceiling.handoffs (conversation_id, payload) VALUES ('bench-' || :client_id || '-' || random(), '{"user_id":"user-456","priority":"HIGH","queue":"billing_support","routing_rule":"billing_issues","messages":[{"content":"I need help with billing","speaker":"user"},{"content":"Let me transfer you","speaker":"ai"}],"metadata":{"channel":"web","product":"premium"}}');
SQL
  echo "machine: $(machine)"
  : > "$OUT/create.results"
  for round in $(seq 1 "$ROUNDS"); do
    start_baton create "$round"
    baton_line=$(java -cp target/baton.jar bench/load/CreateLoad.java "$BENCH_PORT" "$CONNECTIONS" "$WARMUP" "$DURATION" \
      | grep '^RESULT')
    stop_baton

    rm -f "$OUT"/pgbench_log.*
    pgbench -n -c "$PG_CLIENTS" -j 2 -T "$DURATION" -f "$OUT/insert.sql" -l --log-prefix="$OUT/pgbench_log" "$DB" \
      > "$OUT/pgbench-$round.txt" 2>&1
    pg_tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench-$round.txt")
    pg_p50=$(cat "$OUT"/pgbench_log.* | awk '{print $3/1000}' | sort -g | awk '{a[NR]=$1} END {print a[int(NR*0.50)]}')
    pg_p99=$(cat "$OUT"/pgbench_log.* | awk '{print $3/1000}' | sort -g | awk '{a[NR]=$1} END {print a[int(NR*0.99)]}')
    rps=$(field rps <<<"$baton_line")
    ratio=$(awk -v a="$rps" -v b="$pg_tps" 'BEGIN {printf "%.2f", a/b}')
    line="round=$round baton_rps=$rps baton_p50_ms=$(field p50_ms <<<"$baton_line") baton_p99_ms=$(field p99_ms <<<"$baton_line") errors=$(field errors <<<"$baton_line") pgbench_tps=$pg_tps pgbench_p50_ms=$pg_p50 pgbench_p99_ms=$pg_p99 ratio=$ratio"
    echo "$line" | tee -a "$OUT/create.results"
  done
  echo "median over $ROUNDS rounds:" \
    "baton_rps=$(field baton_rps < "$OUT/create.results" | median)" \
    "baton_p50_ms=$(field baton_p50_ms < "$OUT/create.results" | median)" \
    "baton_p99_ms=$(field baton_p99_ms < "$OUT/create.results" | median)" \
    "pgbench_tps=$(field pgbench_tps < "$OUT/create.results" | median)" \
    "ratio=$(field ratio < "$OUT/create.results" | median)"
}

assign() {
  fresh_database
  echo "machine: $(machine)"
  : > "$OUT/assign.results"
  for round in $(seq 1 "$ROUNDS"); do
    start_baton assign "$round"
    java -cp target/baton.jar bench/load/AssignLoad.java "$BENCH_PORT" "$CONNECTIONS" "$WARMUP" "$DURATION" \
      "${RACERS:-8}" | grep '^RESULT' | sed "s/^RESULT/round=$round/" | tee -a "$OUT/assign.results"
    stop_baton
  done
  echo "median over $ROUNDS rounds:" \
    "cycles_per_s=$(grep ' cycle ' "$OUT/assign.results" | field cycles_per_s | median)" \
    "cycle_p99_ms=$(grep ' cycle ' "$OUT/assign.results" | field p99_ms | median)" \
    "contended_assign_p50_ms=$(grep contention "$OUT/assign.results" | field p50_ms | median)" \
    "contended_assign_p99_ms=$(grep contention "$OUT/assign.results" | field p99_ms | median)"
}

sse() {
  local streams=${STREAMS:-200} rate=${RATE:-100} hold=${HOLD:-5}
  fresh_database
  echo "machine: $(machine)"
  BATON_SSE_MAX_STREAMS_PER_CLIENT=$((streams + 10)) start_baton sse 1

  rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$baton/status"; }
  heap_kib() { jcmd "$baton" GC.run >/dev/null; jcmd "$baton" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1; }
  rss0=$(rss_kib); heap0=$(heap_kib)
  java -cp target/baton.jar bench/load/SseLoad.java "$BENCH_PORT" "$streams" "$rate" "$hold" "$DURATION" \
    > "$OUT/sse-load.txt" 2>&1 &
  load=$!
  for _ in $(seq 1 60); do grep -q '^OPENED' "$OUT/sse-load.txt" && break; sleep 1; done
  sleep 1
  rss1=$(rss_kib); heap1=$(heap_kib)
  wait "$load"
  grep '^OPENED\|^RESULT' "$OUT/sse-load.txt"
  echo "memory: rss_kib_before=$rss0 rss_kib_open=$rss1 heap_kib_before=$heap0 heap_kib_open=$heap1" \
    "rss_kib_per_stream=$(awk -v a="$rss0" -v b="$rss1" -v n="$streams" 'BEGIN {printf "%.1f", (b-a)/n}')" \
    "heap_kib_per_stream=$(awk -v a="$heap0" -v b="$heap1" -v n="$streams" 'BEGIN {printf "%.1f", (b-a)/n}')"
  stop_baton
}

ingest() {
  local per_post=${MESSAGES:-10} secret=bench-app-secret
  local bot_port=$((BENCH_PORT + 1)) plain_port=$((BENCH_PORT + 2))
  # Baton's Redis state goes to a database index of its own, emptied first.
  local redis_url="redis://127.0.0.1:6379/${BENCH_REDIS_DB:-7}"
  fresh_database
  redis-cli -n "${BENCH_REDIS_DB:-7}" FLUSHDB >/dev/null
  echo "machine: $(machine)"
  : > "$OUT/ingest.results"
  for round in $(seq 1 "$ROUNDS"); do
    plain_line="RESULT messages_per_s=0 p99_ms=0"
    if [ "${PLAIN:-1}" = 1 ]; then
      java -cp target/baton.jar bench/load/IngestLoad.java plain "$plain_port" > "$OUT/plain-$round.log" 2>&1 &
      local plain=$!
      for _ in $(seq 1 60); do grep -q '^PLAIN' "$OUT/plain-$round.log" && break; sleep 1; done
      plain_line=$(java -cp target/baton.jar bench/load/IngestLoad.java load "$plain_port" "$CONNECTIONS" "$WARMUP" \
        "$DURATION" "$per_post" "$secret" | grep '^RESULT')
      kill "$plain"; wait "$plain" 2>/dev/null || true
    fi

    java -cp target/baton.jar bench/load/IngestLoad.java bot "$bot_port" > "$OUT/bot-$round.log" 2>&1 &
    local bot=$!
    for _ in $(seq 1 60); do grep -q '^BOT' "$OUT/bot-$round.log" && break; sleep 1; done
    BATON_CHANNELS_WHATSAPP_APP_SECRET=$secret \
    BATON_INGEST_BOT_URL="http://127.0.0.1:$bot_port/bot" \
    BATON_INGEST_BOT_SECRET="whsec_$(printf 'bench-bot-secret-32-bytes-long!!' | base64)" \
    BATON_REDIS_URL="$redis_url" \
      start_baton ingest "$round"
    java -cp target/baton.jar bench/load/IngestLoad.java load "$BENCH_PORT" "$CONNECTIONS" "$WARMUP" \
      "$DURATION" "$per_post" "$secret" > "$OUT/ingest-load-$round.log" &
    local load=$!
    # CPU per stored message in the measured window (after the warm-up, whose JIT compiling would
    # dominate at low rates), dispatch included. Unlike a rate, it barely moves when other work shares
    # the machine. The window is the load's, give or take the load generator's start-up.
    sleep "$WARMUP"
    local cpu0 cpu1
    cpu0="$(cpu_seconds "$baton") $(postgres_cpu_seconds) $(redis_cpu_seconds) $(stored_messages) $(machine_ticks)"
    sleep "$DURATION"
    cpu1="$(cpu_seconds "$baton") $(postgres_cpu_seconds) $(redis_cpu_seconds) $(stored_messages) $(machine_ticks)"
    wait "$load"
    baton_line=$(grep '^RESULT' "$OUT/ingest-load-$round.log")
    # Let every debounce window close (max wait 10 s) and the bot calls finish, then count.
    sleep "${DRAIN:-20}"
    counts=$(curl -fs "http://127.0.0.1:$bot_port/counts")
    # Baton's own view of the webhook answers (from accepting the request to writing the answer).
    curl -fs "http://127.0.0.1:$BENCH_PORT/metrics" | grep 'webhooks/whatsapp' | grep -E '_bucket|_count' > "$OUT/ingest-server-latency-$round.txt" || true
    local cpu_per_message
    cpu_per_message=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {split(a, x, " "); split(b, y, " "); n = y[4] - x[4];
      printf "baton_cpu_us_per_message=%.0f postgres_cpu_us_per_message=%.0f redis_cpu_us_per_message=%.0f machine_busy=%.0f%%",
        (y[1] - x[1]) * 1e6 / n, (y[2] - x[2]) * 1e6 / n, (y[3] - x[3]) * 1e6 / n, (y[5] - x[5]) * 100 / (y[6] - x[6])}')
    stop_baton
    kill "$bot"; wait "$bot" 2>/dev/null || true

    local sent dispatched doubled rate plain_rate
    sent=$(field unique_sent <<<"$baton_line")
    dispatched=$(sed -n 's/.*"unique":\([0-9]*\).*/\1/p' <<<"$counts")
    doubled=$(sed -n 's/.*"doubled":\([0-9]*\).*/\1/p' <<<"$counts")
    rate=$(field messages_per_s <<<"$baton_line")
    plain_rate=$(field messages_per_s <<<"$plain_line")
    echo "round=$round baton_messages_per_s=$rate baton_ack_p50_ms=$(field p50_ms <<<"$baton_line")" \
      "baton_ack_p99_ms=$(field p99_ms <<<"$baton_line") errors=$(field errors <<<"$baton_line")" \
      "plain_messages_per_s=$plain_rate plain_p99_ms=$(field p99_ms <<<"$plain_line")" \
      "ratio=$(awk -v a="$rate" -v b="$plain_rate" 'BEGIN {if (b > 0) printf "%.2f", a/b; else printf "0"}')" \
      "unique_sent=$sent unique_dispatched=$dispatched dispatched_twice=$doubled $cpu_per_message" \
      "count_check=$([ "$sent" = "$dispatched" ] && [ "$doubled" = 0 ] && echo ok || echo FAILED)" \
      | tee -a "$OUT/ingest.results"
  done
  echo "median over $ROUNDS rounds:" \
    "baton_messages_per_s=$(field baton_messages_per_s < "$OUT/ingest.results" | median)" \
    "baton_ack_p99_ms=$(field baton_ack_p99_ms < "$OUT/ingest.results" | median)" \
    "baton_cpu_us_per_message=$(field baton_cpu_us_per_message < "$OUT/ingest.results" | median)" \
    "ratio=$(field ratio < "$OUT/ingest.results" | median)"
}

helpdesk_outage() {
  local helpdesk_port=$((BENCH_PORT + 3)) duration=${DURATION:-60} outage_at=${OUTAGE_AT:-10} outage=${OUTAGE:-30}
  fresh_database
  echo "machine: $(machine)"
  java -cp target/baton.jar bench/load/HelpdeskOutage.java zendesk "$helpdesk_port" > "$OUT/zendesk.log" 2>&1 &
  local zendesk=$!
  for _ in $(seq 1 60); do grep -q '^ZENDESK' "$OUT/zendesk.log" && break; sleep 1; done
  BATON_HELPDESK_ADAPTER=zendesk \
  BATON_HELPDESK_ZENDESK_BASE_URL="http://127.0.0.1:$helpdesk_port" \
  BATON_HELPDESK_ZENDESK_EMAIL=bench@example.com \
  BATON_HELPDESK_ZENDESK_API_TOKEN=bench-token \
  BATON_HELPDESK_RETRY_MAX_DELAY_MS=${RETRY_MAX_DELAY_MS:-10000} \
    start_baton outage 1
  java -cp target/baton.jar bench/load/HelpdeskOutage.java load "$BENCH_PORT" "$helpdesk_port" "${CONNECTIONS:-16}" \
    "$duration" "$outage_at" "$outage" "${DRAIN_LIMIT:-180}" | grep '^RESULT'
  stop_baton
  kill "$zendesk"; wait "$zendesk" 2>/dev/null || true
}

triggers() {
  mvn -q -B -Pjmh test-compile exec:exec
}

case "$scenario" in
  create) create ;;
  triggers) triggers ;;
  assign) assign ;;
  sse) sse ;;
  ingest) ingest ;;
  helpdesk-outage) helpdesk_outage ;;
  *) echo "usage: bench/run.sh create|triggers|assign|sse|ingest|helpdesk-outage" >&2; exit 2 ;;
esac
