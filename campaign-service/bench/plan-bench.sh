#!/usr/bin/env bash
# The pre-flight plan of 1M-recipient campaigns (BENCHMARKS.md, "Pre-flight plan"; target ≤ 1 s), made the
# way operators make them: a marketing and a utility campaign of the same 1,000,000-row CSV (70 % India,
# 10 % each US, Brazil, Germany) POSTed to /campaigns/{id}/recipients, 100,000 other Indian contacts
# imported without consent, 1,000 numbers suppressed before the upload and 1,000 after, 2,000 consents cleared after it,
# and ERASED contacts erased after it (half of them opted out first: opt-outs that keep only the hash).
# Then GET /plan of both, RUNS times, alternately with each jar given, with the MariaDB CPU each request
# cost; the answers of the jars are compared with their times and instants left out.
#
#   eval "$(WACAST_INSTANCE=… WACAST_PORT_OFFSET=… ./wacast env)"
#   JARS="/tmp/before/quarkus-run.jar campaign-service/target/quarkus-app/quarkus-run.jar" \
#     SCHEMA=wacast_plan_bench campaign-service/bench/plan-bench.sh
#
# The data is built (≈ 10–20 min) by the last jar of JARS when SCHEMA does not exist yet, or with BUILD=1;
# the other jars then run on the schema as the last one migrated it (Flyway off).
set -euo pipefail
: "${JARS:?packaged campaign-service quarkus-run.jar files, the one that builds the data last}" "${SCHEMA:?a schema of its own}"
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
ERASED=${ERASED:-0}
PORT=${PORT:-29520}
SOCK="$WACAST_HOME/$WACAST_INSTANCE/mariadb/mariadb.sock"
OUT=${OUT:-/tmp/plan-bench}
mkdir -p "$OUT"
sql() { mariadb --no-defaults --socket="$SOCK" -uroot "$@"; }
K="Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY"
cpu() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; }
DB=$(cat "$WACAST_HOME/$WACAST_INSTANCE/mariadb/mariadbd.pid")

start() { # jar port [migrate]: starts the service on SCHEMA (engine loops off), waits until it is ready
  QUARKUS_FLYWAY_MIGRATE_AT_START=${3:-true} QUARKUS_HTTP_PORT=$2 WACAST_CAMPAIGN_DISPATCH_ENABLED=false WACAST_CAMPAIGN_APPLIER_ENABLED=false \
  WACAST_CAMPAIGN_TEMPLATE_SYNC_ENABLED=false WACAST_SERIES_ENABLED=false \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:mysql://127.0.0.1:$WACAST_DB_PORT/$SCHEMA?rewriteBatchedStatements=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&cachePrepStmts=true&prepStmtCacheSize=256&prepStmtCacheSqlLimit=8192&useLocalSessionState=true&elideSetAutoCommits=true" \
  MALLOC_ARENA_MAX=2 java -Xms32m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError \
    -XX:TrimNativeHeapInterval=5000 -Xmx128m -jar "$1" > "$OUT/service-$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do curl -sf "localhost:$2/q/health/ready" >/dev/null && return; sleep 1; done
  echo "the service on $2 did not start: $OUT/service-$2.log" >&2; exit 1
}
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

read -r -a jars <<< "$JARS"
if [[ ${BUILD:-0} == 1 ]] || ! sql -e "USE $SCHEMA" 2>/dev/null; then
  CSV=$OUT/recipients-1m.csv
  [[ -s $CSV ]] || python3 - "$CSV" <<'EOF'
import random, sys
rnd = random.Random(16)
def numbers(n, make):
    seen = set()
    while len(seen) < n:
        seen.add(make())
    return list(seen)
phones = (numbers(700_000, lambda: f"+91{rnd.randint(6, 9)}{rnd.randint(0, 999_999_999):09d}")
          + numbers(100_000, lambda: f"+1650{rnd.randint(2, 9)}{rnd.randint(0, 999_999):06d}")
          + numbers(100_000, lambda: f"+55119{rnd.randint(0, 99_999_999):08d}")
          + numbers(100_000, lambda: f"+4915{rnd.choice('12579')}{rnd.randint(0, 99_999_999):08d}"))
rnd.shuffle(phones)
with open(sys.argv[1], "w") as f:
    f.write("phone,name,body.1\n")
    for i, p in enumerate(phones):
        f.write(f"{p},Name {i},N{i}\n")
EOF
  sql -e "DROP DATABASE IF EXISTS $SCHEMA; CREATE DATABASE $SCHEMA CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    GRANT ALL ON $SCHEMA.* TO 'campaign'@'%'; GRANT ALL ON $SCHEMA.* TO 'campaign'@'localhost';"
  start "${jars[-1]}" "$PORT"
  B=localhost:$PORT/api/whatsapp
  for t in marketing utility; do
    curl -sSf -H "$K" -H 'Content-Type: application/json' -o /dev/null "$B/templates" \
      -d "{\"name\":\"bench_$t\",\"language\":\"en_US\",\"category\":\"$t\",\"body\":\"Hi {{1}}, {{2}} off today\"}"
    curl -sSf -H "$K" -H 'Content-Type: application/json' "$B/campaigns" \
      -d "{\"name\":\"plan $t\",\"templateName\":\"bench_$t\",\"templateLanguage\":\"en_US\",\"templateVariables\":{\"body.2\":\"20%\"}}" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' > "$OUT/$SCHEMA-$t.id"
  done
  python3 - "$CSV" > "$OUT/contacts.csv" <<'EOF'
import random, sys
uploaded = {line.split(",", 1)[0] for line in open(sys.argv[1])}
r = random.Random(7); s = set()
while len(s) < 100_000:
    p = f"+91{r.randint(6, 9)}{r.randint(0, 999_999_999):09d}"  # the campaign's own prefixes: no shortcut
    if p not in uploaded:
        s.add(p)
print("phone,name,language,tags")
for p in s:
    print(f"{p},Contact,en,")
EOF
  curl -sS -H "$K" -H 'Content-Type: text/csv' --data-binary @"$OUT/contacts.csv" -o /dev/null \
    -w "contacts without consent: HTTP %{http_code} in %{time_total} s\n" "$B/contacts/import?consented=false"
  optouts() { sed -n "$1" "$CSV" | cut -d, -f1 | head -1000 | awk '{printf "%s(\x27%s\x27, SHA2(\x27%s\x27, 256), \x27operator\x27, NOW(6))", (NR>1?",":""), $1, $1}' \
    | { echo "INSERT INTO opt_outs (phone_e164, phone_hash, source, created_at) VALUES"; cat; echo ";"; } | sql "$SCHEMA"; }
  optouts '2~1000p'
  for t in marketing utility; do
    curl -sS -H "$K" -H 'Content-Type: text/csv' --data-binary @"$CSV" -o "$OUT/$t.report" \
      -w "upload $t: HTTP %{http_code} in %{time_total} s\n" "$B/campaigns/$(cat "$OUT/$SCHEMA-$t.id")/recipients"
  done
  optouts '3~1000p'
  sed -n '4~500p' "$CSV" | cut -d, -f1 | head -2000 | xargs -P 2 -I{} curl -sSf -o /dev/null -X PUT -H "$K" \
    -H 'Content-Type: application/json' -d '{"consent":{"status":"none"}}' "$B/contacts/{}"
  sed -n '5~5000p' "$CSV" | cut -d, -f1 | head -$((ERASED / 2)) | xargs -r -I{} curl -sSf -o /dev/null -H "$K" \
    -H 'Content-Type: application/json' -d '{"phoneNumber":"{}"}' "$B/opt-outs"
  sed -n '5~2500p' "$CSV" | cut -d, -f1 | head -"$ERASED" | xargs -r -I{} curl -sSf -o /dev/null -X DELETE -H "$K" "$B/contacts/{}"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
fi

ports=()
# the last jar migrates the schema; the others (an older build) run on it as it left it
for i in "${!jars[@]}"; do
  start "${jars[$i]}" $((PORT + 1 + i)) "$([[ $i == $((${#jars[@]} - 1)) ]] && echo true || echo false)"
  ports+=($((PORT + 1 + i)))
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for t in marketing utility; do
  id=$(cat "$OUT/$SCHEMA-$t.id")
  for r in $(seq 1 "$RUNS"); do
    for i in "${!ports[@]}"; do
      d0=$(cpu "$DB"); s0=$(cpu "${PIDS[$i]}"); l0=$(cut -d' ' -f1 /proc/loadavg)
      took=$(curl -sS -H "$K" -o "$OUT/plan-$t-$i.json" -w '%{http_code} %{time_total}' "localhost:${ports[$i]}/api/whatsapp/campaigns/$id/plan")
      printf '%-9s run %d  %-45s HTTP %s s, MariaDB CPU %.2f s, service CPU %.2f s, load %s\n' "$t" "$r" "${jars[$i]}" "$took" \
        "$(echo "$(cpu "$DB") - $d0" | bc)" "$(echo "$(cpu "${PIDS[$i]}") - $s0" | bc)" "$l0"
    done
  done
  for i in "${!ports[@]}"; do
    python3 - "$OUT/plan-$t-$i.json" > "$OUT/plan-$t-$i.norm" <<'EOF'
import json, re, sys
plan = json.load(open(sys.argv[1]))
plan.pop("generatedAt", None)
for key in ("start", "end"):
    plan["duration"].pop(key, None)
for day in plan["duration"]["days"]:
    day.pop("firstSend", None); day.pop("lastSend", None)
plan["messagingLimit"].pop("wouldHitLimitAt", None)
plan["warnings"] = [re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+Z", "<instant>", w) for w in plan["warnings"]]
print(json.dumps(plan, indent=1, sort_keys=True))
EOF
  done
  for i in "${!ports[@]}"; do
    cmp -s "$OUT/plan-$t-0.norm" "$OUT/plan-$t-$i.norm" && echo "$t: answer of ${jars[$i]} = answer of ${jars[0]}" \
      || { echo "$t: ANSWERS DIFFER"; diff "$OUT/plan-$t-0.norm" "$OUT/plan-$t-$i.norm" | head -20; }
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
