# Shared by demo/bench.sh and the benchmarks it runs: one result row per figure in
# $WACAST_BENCH_RESULTS (tab-separated: figure, target, result, verdict), and the table made of them.

# result FIGURE TARGET RESULT VERDICT (pass, fail, or info for a figure without a target)
result() {
  [[ -n "${WACAST_BENCH_RESULTS:-}" ]] || return 0
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$WACAST_BENCH_RESULTS"
}

# at_least VALUE MIN / at_most VALUE MAX: pass or fail (fail when VALUE is not a number)
at_least() { awk -v v="$1" -v m="$2" 'BEGIN { print (v ~ /^[0-9.]+$/ && v + 0 >= m + 0) ? "pass" : "fail" }'; }
at_most() { awk -v v="$1" -v m="$2" 'BEGIN { print (v ~ /^[0-9.]+$/ && v + 0 <= m + 0) ? "pass" : "fail" }'; }
both() { [[ "$1" == pass && "$2" == pass ]] && echo pass || echo fail; }

# The packaged campaign-service alone on the bench instance (./wacast's JVM options, the applier, template
# sync and series off): campaign_start [VAR=value …] sets SERVICE, PORT, API, K; campaign_stop stops it.
# timed_get PATH [OUT]: the ms of one GET of the operator API; peak_rss_mb: the service's peak RSS so far.
campaign_start() {
  PORT=$((8081 + WACAST_PORT_OFFSET)) API="http://127.0.0.1:$((8081 + WACAST_PORT_OFFSET))/api/whatsapp"
  K="Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY"
  SERVICE_LOG="${WACAST_BENCH_SERVICE_LOG:-$WORK/service.log}" # bench.sh keeps it beside the benchmark's log
  # shellcheck disable=SC2086
  env "$@" QUARKUS_HTTP_PORT="$PORT" WACAST_CAMPAIGN_APPLIER_ENABLED=false WACAST_CAMPAIGN_TEMPLATE_SYNC_ENABLED=false \
    WACAST_SERIES_ENABLED=false MALLOC_ARENA_MAX=2 \
    java ${WACAST_BENCH_JAVA_OPTS_CAMPAIGN:-} -jar campaign-service/target/quarkus-app/quarkus-run.jar >>"$SERVICE_LOG" 2>&1 &
  SERVICE=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && return 0; kill -0 "$SERVICE" || break; sleep 0.5; done
  tail -30 "$SERVICE_LOG"; return 1
}
campaign_stop() { [[ -n "${SERVICE:-}" ]] && { kill "$SERVICE" 2>/dev/null || true; wait "$SERVICE" 2>/dev/null || true; }; SERVICE=; }
timed_get() { curl -sS -o "${2:-/dev/null}" -w '%{time_total}' -H "$K" "$API$1" | awk '{ printf "%.1f", $1 * 1000 }'; }
# Waits (up to 4 min) until MariaDB's own CPU falls below 10 % over 2 s: InnoDB purges and flushes
# after a large write for minutes, and a measurement taken meanwhile shares the disk and a core with it.
db_settle() {
  local pid a b
  pid="$(cat "$WACAST_HOME/$WACAST_INSTANCE/mariadb/mariadbd.pid" 2>/dev/null)" || return 0
  for _ in $(seq 1 120); do
    a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat"); sleep 2; b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    (( b - a < 20 )) && return 0
  done
}
# timed_runs N PATH [OUT]: the ms of N GETs of PATH after one to warm up (its body to OUT), one a line, sorted
timed_runs() { timed_get "$2" "${3:-/dev/null}" >/dev/null; for _ in $(seq 1 "$1"); do timed_get "$2"; echo; done | sort -n; }
peak_rss_mb() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$SERVICE/status"; }

# The rows of SenderThroughputBenchmark's last line in FILE (a Markdown row: date | replicas |
# cap × time | utilisation | sustained | busiest second at the simulator | fired | 130429 | CPU per
# 1,000 | budget wait | RSS | slots dropped).
sender_rows() {
  local replicas="$1" file="$2" row rate share busiest throttled cpu rss rss_max dropped
  row="$(tail -1 "$file" 2>/dev/null || true)"
  if [[ -z "$row" ]]; then result "sender, $replicas replica(s) at a 1,000/s cap" "completes" "no result row" fail; return; fi
  IFS='|' read -r _ _ _ _ _ rate busiest _ throttled cpu _ rss dropped _ <<<"$row"
  share="$(grep -o '[0-9.]* % of cap' <<<"$rate" | cut -d' ' -f1)"
  rate="$(grep -o '[0-9.]* msg/s' <<<"$rate" | head -1 | cut -d' ' -f1)"
  busiest="$(awk '{print $1}' <<<"$busiest")"
  throttled="$(tr -d ' ' <<<"$throttled")"
  rss="$(grep -o '[0-9]* peak' <<<"$rss" | cut -d' ' -f1 | paste -sd/)" # each replica's peak
  rss_max="$(tr '/' '\n' <<<"$rss" | sort -n | tail -1)"
  result "sender, $replicas replica(s), 1,000/s cap, schedule at 98.5 %: sustained rate" "≥ 980 msg/s (98 % of the cap)" \
    "$rate msg/s ($share %; $(tr -d ' ' <<<"$dropped") slots dropped late)" "$(at_least "$rate" 980)"
  result "sender, $replicas replica(s): busiest second at the simulator; 130429" "≤ 1,000; 0" \
    "$busiest; $throttled" "$(both "$(at_most "$busiest" 1000)" "$(at_most "$throttled" 0)")"
  result "sender, $replicas replica(s): CPU per 1,000 messages; RSS per replica" "—; ≤ 300 MB" \
    "$(tr -d ' ' <<<"$cpu"); $rss MB" "$(at_most "$rss_max" 300)"
}

# The rows of ReplicasShareTheBudgetIT (three replicas on a cap of 100/s, a fourth joining and one
# leaving): how much of the cap they used (issue 13: ≥ 95 % quiet, ≥ 90 % beside a CPU-heavy
# neighbour) and its invariants, from the line it logs in its failsafe report.
share_row() {
  local name="$1" report="$2" log="$3" line busiest rate throttled target min label schedule
  if [[ "$name" == starved ]]; then target="≥ 90 % of the cap"; min=90; label="beside a CPU-heavy neighbour (stress-ng --cpu 1)"
  else target="≥ 95 % of the cap"; min=95; label="quiet"; fi
  line="$(grep -ho 'cap 100/s, 3 replicas[^<]*130429: [0-9]*' "$report" 2>/dev/null | tail -1 || true)"
  if [[ -z "$line" ]]; then
    result "3 sender replicas sharing a 100/s cap, $label" "completes" "no result (log: $log)" fail
    return
  fi
  busiest="$(sed -E 's/.*busiest second ([0-9]+) calls.*/\1/' <<<"$line")"
  rate="$(sed -E 's/.*calls, ([0-9.]+) msg\/s overall.*/\1/' <<<"$line")"
  throttled="$(sed -E 's/.*130429: ([0-9]+).*/\1/' <<<"$line")"
  schedule="$(grep -ho 'schedule: cap 100 msg/s, a slot every [0-9]* µs ([0-9.]*% of the cap), a call leaves at most [0-9.]* ms' \
    "$report" 2>/dev/null | tail -1 | sed -E 's/.*\(([0-9.]+)% of the cap\), a call leaves at most ([0-9.]+) ms/slots at \1 %, \2 ms late at most/' || true)"
  result "3 sender replicas sharing a 100/s cap, one joining and one leaving, $label: share of the cap" "$target" \
    "$rate %${schedule:+ ($schedule)}" "$(at_least "$rate" "$min")"
  result "  … busiest second at the simulator; 130429; every job once (the test's assertions)" "≤ 100; 0; yes" \
    "$busiest; $throttled; $(grep -q '<failure\|<error' "$report" && echo no || echo yes)" \
    "$(both "$(both "$(at_most "$busiest" 100)" "$(at_most "$throttled" 0)")" \
      "$(grep -q '<failure\|<error' "$report" && echo fail || echo pass)")"
}

# table WHEN COMMIT SECONDS BENCHMARKS LOAD: the Markdown table of every result row so far.
table() {
  local passed failed
  passed="$(awk -F'\t' '$4 == "pass"' "$WACAST_BENCH_RESULTS" | wc -l)"
  failed="$(awk -F'\t' '$4 == "fail"' "$WACAST_BENCH_RESULTS" | wc -l)"
  printf '`./wacast bench` %s, commit %s, %s cores (%s), %d min (%s); load average %s at the start, %s at the end\n\n' \
    "$1" "$2" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$(($3 / 60))" "$4" "$5" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '| figure | target | result | |\n|---|---|---|---|\n'
  awk -F'\t' '{ v = $4 == "pass" ? "pass" : $4 == "fail" ? "**fail**" : ""; printf "| %s | %s | %s | %s |\n", $1, $2, $3, v }' \
    "$WACAST_BENCH_RESULTS"
  printf '\n%d met, %d not met\n' "$passed" "$failed"
}
