#!/usr/bin/env bash
# ./wacast bench: the benchmarks behind docs/DESIGN.md §8, each on a fresh `bench` instance (ports
# +21000), one after the other so that none measures another's load, and one table at the end:
# figure, target, result, pass/fail. Run it through ./wacast (it installs wrk and stress-ng, builds
# what is stale and passes the services' JVM options):
#
#   ./wacast bench                      # all of them, ~25 min on two cores
#   ./wacast bench csv webhook          # some: e2e csv audience sender-1 sender-3 replicas starved webhook
#
# The table goes to stdout and to .wacast/bench-logs/results.md, beside each benchmark's own output.
# BENCHMARKS.md opens with the table of the latest run.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ "${WACAST_INSTANCE:-}" == bench ]] || { echo "run it as ./wacast bench" >&2; exit 2; }
ALL=(e2e csv audience sender-1 sender-3 replicas starved webhook)
if [[ $# -gt 0 ]]; then SELECTED=("$@"); else SELECTED=("${ALL[@]}"); fi
for name in "${SELECTED[@]}"; do
  [[ " ${ALL[*]} " == *" $name "* ]] || { echo "unknown benchmark '$name'; one of: ${ALL[*]}" >&2; exit 2; }
done

HOME_DIR="${WACAST_HOME:-$PWD/.wacast}"
LOGS="$HOME_DIR/bench-logs"
rm -rf "$LOGS"; mkdir -p "$LOGS"
export WACAST_BENCH_RESULTS="$LOGS/results.tsv"
: >"$WACAST_BENCH_RESULTS"
# shellcheck source=demo/bench/lib.sh
source demo/bench/lib.sh

# A fresh instance: no opt-outs, contacts or campaigns of an earlier run.
fresh_infra() {
  ./wacast down >/dev/null 2>&1 || true
  rm -rf "$HOME_DIR/bench"
  ./wacast infra up >"$LOGS/infra-$1.log" 2>&1 || { tail -20 "$LOGS/infra-$1.log"; exit 1; }
}
trap './wacast down >/dev/null 2>&1 || true; [[ -n "${NEIGHBOUR:-}" ]] && kill "$NEIGHBOUR" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

# The sender's packaged benchmarks run through Maven's failsafe against the bench instance's Kafka and
# database (their simulator and replicas are started by the test on ports 24081-24090).
sender_maven() { # log, then -D properties
  local log="$1"; shift
  (eval "$(./wacast env)"; ./mvnw -B -ntp -q verify -pl common,meta-simulator,sender-service -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@") >"$log" 2>&1
}

started=$SECONDS
load="$(cut -d' ' -f1-3 /proc/loadavg)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
for name in "${SELECTED[@]}"; do
  printf '==> %s\n' "$name"
  case "$name" in
    e2e)
      # demo/benchmark.sh makes its own fresh bench instance and stops it
      WACAST_BENCH_RESULTS="$WACAST_BENCH_RESULTS" demo/benchmark.sh >"$LOGS/e2e.log" 2>&1 \
        || result "end to end, 100,000 recipients" "completes" "did not finish (log: $LOGS/e2e.log)" fail ;;
    csv)
      fresh_infra csv
      WACAST_BENCH_SERVICE_LOG="$LOGS/csv-service.log" demo/bench/campaign-1m.sh >"$LOGS/csv.log" 2>&1 \
        || result "1M-recipient campaign" "completes" "did not finish (log: $LOGS/csv.log)" fail ;;
    audience)
      fresh_infra audience
      WACAST_BENCH_SERVICE_LOG="$LOGS/audience-service.log" demo/bench/audience-1m.sh >"$LOGS/audience.log" 2>&1 \
        || result "audiences on 1M contacts" "completes" "did not finish (log: $LOGS/audience.log)" fail ;;
    sender-1 | sender-3)
      fresh_infra "$name"
      replicas="${name#sender-}"
      rm -f sender-service/target/sender-benchmark.md
      if sender_maven "$LOGS/$name.log" -Dit.test=SenderThroughputBenchmark -Dwacast.bench.seconds=30 \
          -Dwacast.bench.replicas="$replicas" ${WACAST_BENCH_JAVA_OPTS_SENDER:+"-Dwacast.bench.jvm=$WACAST_BENCH_JAVA_OPTS_SENDER"} \
          ${WACAST_BENCH_SENDER_OPTS:-}; then
        sender_rows "$replicas" sender-service/target/sender-benchmark.md
      else
        result "sender, $replicas replica(s) at a 1,000/s cap" "completes" "failed (log: $LOGS/$name.log)" fail
      fi ;;
    replicas | starved)
      fresh_infra "$name"
      NEIGHBOUR=
      # starved: a CPU-heavy neighbour on one of the two cores for the whole run, in a session of its own as
      # each service is (the kernel shares CPU between sessions first), at about the replicas' priority
      # (nice 0, they run at 1), with the simulator, standing in for Meta, above both
      if [[ "$name" == starved ]]; then
        setsid stress-ng --cpu 1 --quiet >/dev/null 2>&1 &
        NEIGHBOUR=$!
      fi
      # the replicas on the sender's own schedule (97.5 % of the cap), not the integration tests' safer 95 %;
      # WACAST_BENCH_REPLICAS_SCHEDULE="<utilisation> <arrival spread>" (e.g. "0.975 12ms") measures another,
      # WACAST_BENCH_REPLICAS_OPTS other sender settings (-Dwacast.it.sender.lease-horizon=60ms),
      # WACAST_BENCH_REPLICAS_JVM other JVM options for the replicas (default: as ./wacast runs the sender)
      read -r utilisation spread <<<"${WACAST_BENCH_REPLICAS_SCHEDULE:-sender}"
      sender_maven "$LOGS/$name.log" -Dit.test=ReplicasShareTheBudgetIT -Dwacast.it.utilisation="$utilisation" \
        ${spread:+-Dwacast.it.arrival-spread="$spread"} ${WACAST_BENCH_REPLICAS_JVM:+"-Dwacast.it.sender-jvm=$WACAST_BENCH_REPLICAS_JVM"} \
        ${WACAST_BENCH_REPLICAS_OPTS:-} || true
      [[ -n "$NEIGHBOUR" ]] && { kill "$NEIGHBOUR" 2>/dev/null || true; wait "$NEIGHBOUR" 2>/dev/null || true; NEIGHBOUR=; }
      share_row "$name" sender-service/target/failsafe-reports/TEST-io.wacast.sender.packaged.ReplicasShareTheBudgetIT.xml "$LOGS/$name.log" ;;
    webhook)
      fresh_infra webhook
      demo/bench/webhook-ingest.sh >"$LOGS/webhook.log" 2>&1 \
        || result "webhook ingest, one replica" "completes" "did not finish (log: $LOGS/webhook.log)" fail ;;
  esac
  ./wacast down >/dev/null 2>&1 || true
done

table "$(date -u '+%Y-%m-%d %H:%M') UTC" "$commit" "$((SECONDS - started))" "${SELECTED[*]}" "$load" | tee "$LOGS/results.md"
