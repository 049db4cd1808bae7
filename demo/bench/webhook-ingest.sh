#!/usr/bin/env bash
# Webhook ingest of ./wacast bench (BENCHMARKS.md, "Webhook ingest"): the packaged webhook-service with
# ./wacast's JVM options on a fresh instance's Kafka (demo/bench.sh starts it), signed deliveries of
# three statuses each, every one unique so that every event is published, posted by wrk on 8
# connections for 20 s after a 15 s warm-up. Each 200 is sent after Kafka acknowledged the 3 events.
set -euo pipefail
cd "$(dirname "$0")/../.."
source demo/bench/lib.sh
eval "$(./wacast env)"
PORT=$((8083 + WACAST_PORT_OFFSET))
WORK="$(mktemp -d)"
SERVICE=
trap '[[ -n "$SERVICE" ]] && kill "$SERVICE" 2>/dev/null; rm -rf "$WORK"' EXIT

# shellcheck disable=SC2086
QUARKUS_HTTP_PORT="$PORT" MALLOC_ARENA_MAX=2 java ${WACAST_BENCH_JAVA_OPTS_WEBHOOK:-} \
  -jar webhook-service/target/quarkus-app/quarkus-run.jar >"$WORK/service.log" 2>&1 &
SERVICE=$!
python3 webhook-service/bench/signed-requests.py 30000 "$WACAST_META_APP_SECRET" warmup >"$WORK/warmup.tsv"
python3 webhook-service/bench/signed-requests.py 150000 "$WACAST_META_APP_SECRET" run >"$WORK/run.tsv"
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done

cd webhook-service/bench
wrk -t2 -c32 -d15s -s webhook.lua "http://127.0.0.1:$PORT" -- "$WORK/warmup.tsv" 2 >"$WORK/warmup.out"
wrk -t2 -c8 -d20s -s webhook.lua "http://127.0.0.1:$PORT" -- "$WORK/run.tsv" 2 | tee "$WORK/run.out"
cd - >/dev/null

per_second="$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$WORK/run.out")"
events=$((per_second * 3))
p99="$(awk '/^latency p99 / { print $3 }' "$WORK/run.out")"
refused="$(sed -nE 's/^requests [0-9]+, non-2xx\/3xx ([0-9]+), errors connect ([0-9]+) read ([0-9]+) write ([0-9]+) timeout ([0-9]+)/\1 \2 \3 \4 \5/p' "$WORK/run.out" \
  | awk '{ print $1 + $2 + $3 + $4 + $5 }')"
result "webhook ingest, one replica (8 connections, 3 statuses per delivery): events/s" "≥ 5,000 events/s" \
  "$events events/s ($per_second deliveries/s, ${refused:-?} not answered 200)" \
  "$(both "$(at_least "$events" 5000)" "$(at_most "${refused:-1}" 0)")"
result "  … acknowledgement latency p99" "≤ 50 ms" "$p99 ms" "$(at_most "$p99" 50)"
result "  … webhook-service peak RSS" "≤ 300 MB" "$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$SERVICE/status") MB" \
  "$(at_most "$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$SERVICE/status")" 300)"
