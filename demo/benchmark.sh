#!/usr/bin/env bash
# The end-to-end benchmark of issue 6 (BENCHMARKS.md, "End to end"): the whole system on its own
# instance (ports +21000, below Linux's ephemeral range 32768+ where a client connection can hold a
# service's port or even connect to itself on it), the simulator capped at WACAST_THROUGHPUT msg/s (default 1,000), one
# campaign of WACAST_DEMO_RECIPIENTS (default 100,000) through the operator API, as the demo does.
# Reports the wall time from `send` to `completed` against the physical floor, the peak RSS of each
# service, and how far wacast's `sent` counter lagged the simulator's count of accepted calls.
#
#   demo/benchmark.sh            # builds nothing: run ./wacast build (or ./mvnw package) first
#
# Stops what it started, also on Ctrl-C. Run by ./wacast bench (e2e), which reads its figures from
# WACAST_BENCH_RESULTS.
set -euo pipefail
cd "$(dirname "$0")/.."
export WACAST_INSTANCE="${WACAST_INSTANCE:-bench}" WACAST_PORT_OFFSET="${WACAST_PORT_OFFSET:-21000}"
export WACAST_THROUGHPUT="${WACAST_THROUGHPUT:-1000}" WACAST_DEMO_RECIPIENTS="${WACAST_DEMO_RECIPIENTS:-100000}"
WORK="$(mktemp -d)"
cleanup() {
  [[ -n "${SAMPLER:-}" ]] && kill "$SAMPLER" 2>/dev/null || true
  ./wacast down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A fresh bench instance every run: the last run's opt-outs would otherwise suppress recipients of this one.
if [[ "$WACAST_INSTANCE" == bench ]]; then ./wacast down >/dev/null 2>&1 || true; rm -rf .wacast/bench; fi
./wacast up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; exit 1; }
eval "$(./wacast env)"
STATE=".wacast/$WACAST_INSTANCE"
port() { echo $(($1 + WACAST_PORT_OFFSET)); }
CAMPAIGN_URL="http://127.0.0.1:$(port 8081)" SIM_URL="http://127.0.0.1:$(port 8090)"
AUTH="Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY"

# Every second: the peak RSS of each service, and the campaign's `sent` beside the simulator's truth.
(
  while true; do
    for pidfile in "$STATE"/run/*.pid; do
      pid="$(cat "$pidfile")"
      rss="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
      echo "rss $(basename "$pidfile" .pid) ${rss:-0}"
    done
    id="$(curl -s -H "$AUTH" "$CAMPAIGN_URL/api/whatsapp/campaigns?size=1" | jq -r '.items[0].id // .content[0].id // empty' 2>/dev/null || true)"
    if [[ -n "$id" ]]; then
      sent="$(curl -s -H "$AUTH" "$CAMPAIGN_URL/api/whatsapp/campaigns/$id/stats" | jq -r '.stats.sent // empty' 2>/dev/null || true)"
      accepted="$(curl -s "$SIM_URL/sim/stats?campaignId=$id" | jq -r '.acceptedCalls // empty' 2>/dev/null || true)"
      [[ -n "$sent" && -n "$accepted" ]] && echo "count $(date +%s.%N) $accepted $sent"
    fi
    sleep 1
  done
) >"$WORK/samples" &
SAMPLER=$!

# CPU seconds (user + system) of every process of the system, for where the two cores go.
cpu_snapshot() {
  local hz pidfile pid
  hz="$(getconf CLK_TCK)"
  for pidfile in "$STATE"/run/*.pid "$STATE/kafka/kafka.pid" "$STATE/mariadb/mariadbd.pid"; do
    pid="$(cat "$pidfile" 2>/dev/null)" || continue
    # fields 14 and 15 after the command, which may hold spaces: counted from the closing parenthesis
    awk -v name="$(basename "$pidfile" .pid)" -v hz="$hz" '{ sub(/.*\) /, ""); printf "%s %.2f\n", name, ($12 + $13) / hz }' \
      "/proc/$pid/stat" 2>/dev/null || true
  done
}
cpu_snapshot >"$WORK/cpu-before"
start=$(date +%s)
./wacast demo | tee "$WORK/demo.log"
kill "$SAMPLER" 2>/dev/null || true
SAMPLER=
cpu_snapshot >"$WORK/cpu-after"
# The applier's own measure of freshness: publish → batch commit, per event (a Prometheus histogram).
curl -s "$CAMPAIGN_URL/q/metrics" | grep '^wacast_applier_freshness_seconds_bucket' >"$WORK/freshness" || true
cp "$WORK/freshness" "${WACAST_BENCH_FRESHNESS_OUT:-/dev/null}" 2>/dev/null || true

echo
echo "==> benchmark: $WACAST_DEMO_RECIPIENTS recipients, simulator cap $WACAST_THROUGHPUT msg/s"
grep -E 'campaign [0-9]+ (completed|paused|cancelled|sending) in' "$WORK/demo.log" | sed 's/\x1b\[[0-9;]*m//g' || true
awk -v n="$WACAST_DEMO_RECIPIENTS" -v cap="$WACAST_THROUGHPUT" 'BEGIN { printf "  physical floor: %.0f s (every recipient once at the cap)\n", n / cap }'
echo "  CPU seconds per process during the demo (upload, send, settling; $(nproc) cores × $(( $(date +%s) - start )) s):"
awk 'NR == FNR { before[$1] = $2; next } { used = $2 - before[$1]; total += used; printf "    %-16s %7.1f\n", $1, used }
  END { printf "    %-16s %7.1f\n", "all", total }' "$WORK/cpu-before" "$WORK/cpu-after" | sort -k2 -n -r
echo "  peak RSS per service (MB):"
awk '$1 == "rss" { if ($3 > peak[$2]) peak[$2] = $3 } END { for (s in peak) printf "    %-16s %4d\n", s, peak[s] / 1024 }' "$WORK/samples" | sort
awk -v n="$WACAST_DEMO_RECIPIENTS" '$1 == "count" {
    if (!t10 && $3 >= n * 0.1) { t10 = $2; a10 = $3 }
    if ($3 <= n * 0.9) { t90 = $2; a90 = $3 }
  } END { if (t90 > t10) printf "  steady rate (simulator accepted, 10 %% → 90 %% of the campaign): %.0f msg/s\n", (a90 - a10) / (t90 - t10) }' "$WORK/samples"
# Lag: for each sample, how long ago the simulator had accepted as many calls as wacast now counts sent.
awk '$1 == "count" { t[n] = $2; a[n] = $3; s[n] = $4; n++ }
  END {
    for (i = 0; i < n; i++) {
      if (s[i] >= a[i]) { lag = 0 } else { j = i; while (j > 0 && a[j - 1] > s[i]) j--; lag = t[i] - t[j] }
      printf "%.2f\n", lag
    }
  }' "$WORK/samples" | sort -n >"$WORK/lags"
# p50/p99 as the upper bound of the bucket that holds them (what a Prometheus histogram allows).
awk '{ le = $0; sub(/.*le="/, "", le); sub(/".*/, "", le); c[le == "+Inf" ? 1e18 : le + 0] += $NF }
  END {
    n = 0; for (b in c) bounds[++n] = b + 0
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (bounds[j] < bounds[i]) { t = bounds[i]; bounds[i] = bounds[j]; bounds[j] = t }
    total = c[bounds[n]]; if (total == 0) exit
    for (i = 1; i <= n; i++) {
      if (!p50 && c[bounds[i]] >= total * 0.5) p50 = bounds[i]
      if (!p90 && c[bounds[i]] >= total * 0.9) p90 = bounds[i]
      if (!p99 && c[bounds[i]] >= total * 0.99) p99 = bounds[i]
    }
    # a quantile in the +Inf bucket is only known to lie above the last finite bound
    top = bounds[n - 1]
    printf "  counters behind the events (wacast_applier_freshness_seconds, %d events): p50 %s, p90 %s, p99 %s\n", total,
      (p50 >= 1e18 ? sprintf("> %.0f s", top) : sprintf("≤ %.2f s", p50)),
      (p90 >= 1e18 ? sprintf("> %.0f s", top) : sprintf("≤ %.2f s", p90)),
      (p99 >= 1e18 ? sprintf("> %.0f s", top) : sprintf("≤ %.2f s", p99))
  }' "$WORK/freshness"
m=$(wc -l <"$WORK/lags")
if ((m == 0)); then echo "  counter lag: no samples"; else
  pick() { sed -n "$(( $1 > m ? m : $1 ))p" "$WORK/lags"; }
  echo "  counter lag behind the simulator (wacast sent vs simulator accepted, $m samples, 1 s apart):" \
    "p50 $(pick $((m / 2 + 1))) s, p99 $(pick $((m * 99 / 100 + 1))) s, max $(pick "$m") s"
fi

# The rows of ./wacast bench's table (demo/bench/lib.sh), when it runs this.
if [[ -n "${WACAST_BENCH_RESULTS:-}" ]]; then
  source demo/bench/lib.sh
  id="$(curl -s -H "$AUTH" "$CAMPAIGN_URL/api/whatsapp/campaigns?size=1" | jq -r '.items[0].id // .content[0].id // empty')"
  campaign="$(curl -s -H "$AUTH" "$CAMPAIGN_URL/api/whatsapp/campaigns/$id")"
  took="$(jq -r '[.startedAt, .completedAt] | map(. // "" | sub("\\.[0-9]+"; "") | fromdateiso8601? // null)
    | if .[0] and .[1] then .[1] - .[0] else "?" end' <<<"$campaign")"
  sent="$(curl -s -H "$AUTH" "$CAMPAIGN_URL/api/whatsapp/campaigns/$id/stats" | jq -r .stats.sent)"
  truth="$(curl -s "$SIM_URL/sim/stats?campaignId=$id")"
  throttled="$(curl -s "$SIM_URL/sim/stats" | jq -r '.rejectedByCode["130429"] // 0')"
  accepted="$(jq -r .acceptedCalls <<<"$truth")" twice="$(jq -r '.duplicates | length' <<<"$truth")"
  p99="$(awk '{ le = $0; sub(/.*le="/, "", le); sub(/".*/, "", le); c[le == "+Inf" ? 1e18 : le + 0] += $NF }
    END { n = 0; for (b in c) k[++n] = b + 0
          for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (k[j] < k[i]) { x = k[i]; k[i] = k[j]; k[j] = x }
          t = c[k[n]]
          for (i = 1; i <= n; i++) if (c[k[i]] >= t * 0.99) { print (k[i] >= 1e18 ? "> " k[n - 1] : k[i]); exit } }' "$WORK/freshness")"
  read -r rss_service rss_mb < <(awk '$1 == "rss" { if ($3 > peak[$2]) peak[$2] = $3 }
    END { for (s in peak) if (peak[s] > top) { top = peak[s]; name = s }; printf "%s %d\n", name, top / 1024 }' "$WORK/samples") || true
  result "100,000 recipients end to end at 1,000 msg/s, whole system (send → completed)" "≤ 110 s (floor 100 s)" \
    "$took s ($(jq -r .status <<<"$campaign"))" "$( [[ "$(jq -r .status <<<"$campaign")" == completed ]] && at_most "$took" 110 || echo fail)"
  result "  … 130429 at the simulator; recipients messaged twice; sent = simulator accepted" "0; 0; yes" \
    "$throttled; $twice; $sent vs $accepted" "$( [[ "$throttled" == 0 && "$twice" == 0 && "$sent" == "$accepted" ]] && echo pass || echo fail)"
  result "  … counters behind the events, p99 (wacast_applier_freshness_seconds)" "≤ 2 s" "≤ $p99 s" "$(at_most "$p99" 2)"
  result "  … peak RSS, the largest service" "≤ 300 MB each" "$rss_mb MB ($rss_service)" "$(at_most "$rss_mb" 300)"
  # Quarkus's own "started in" of each service, all of them starting together on the box
  read -r slowest slowest_service < <(for log in "$STATE"/logs/*.log; do
      sed -nE 's/.* started in ([0-9.]+)s.*/\1/p' "$log" | tail -1 | sed "s|\$| $(basename "$log" .log)|"
    done | sort -n | tail -1) || true
  result "  … start time, the slowest service (JVM mode, all starting together, fresh schemas migrated)" "≤ 3 s each" "${slowest:-?} s (${slowest_service:-?})" \
    "$(at_most "${slowest:-x}" 3)"
fi
