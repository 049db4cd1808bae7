#!/usr/bin/env bash
# The 1M-row recipient upload (target ≤ 60 s), timed with the CPU seconds it cost the service and MariaDB,
# which stay comparable when the machine is shared (wall time does not).
#
#   eval "$(WACAST_INSTANCE=benchb WACAST_PORT_OFFSET=15000 ./wacast env)"   # an instance of its own, never the ITs'
#   JAR=/tmp/before/quarkus-run.jar SCHEMA=wacast_up_before campaign-service/bench/recipient-upload-bench.sh
#
# SCHEMA is created empty (dropped first) so every run starts from the same state: no contacts, no campaigns.
set -euo pipefail
: "${JAR:?path of a packaged campaign-service quarkus-run.jar}" "${SCHEMA:?a schema name of its own}"
PORT=${PORT:-29481}
ROWS=${ROWS:-1000000}
SOCKET="$WACAST_HOME/$WACAST_INSTANCE/mariadb/mariadb.sock"
sql() { mariadb --no-defaults --socket="$SOCKET" -uroot -e "$1"; }

sql "DROP DATABASE IF EXISTS $SCHEMA; CREATE DATABASE $SCHEMA CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
     GRANT ALL ON $SCHEMA.* TO 'campaign'@'%'; GRANT ALL ON $SCHEMA.* TO 'campaign'@'localhost';"
CSV=/tmp/recipients-$ROWS.csv
[[ -s $CSV ]] || python3 -c "
with open('$CSV','w') as f:
    f.write('phone,name,body.1\n')
    for i in range($ROWS): f.write(f'+9198{i:08d},Name {i},V{i}\n')"

QUARKUS_HTTP_PORT=$PORT WACAST_CAMPAIGN_DISPATCH_ENABLED=false WACAST_CAMPAIGN_APPLIER_ENABLED=false \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:mysql://127.0.0.1:$WACAST_DB_PORT/$SCHEMA?rewriteBatchedStatements=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true" \
  MALLOC_ARENA_MAX=2 java -Xms32m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError \
  -XX:TrimNativeHeapInterval=5000 -Xmx128m -jar "$JAR" >"/tmp/$SCHEMA.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && break; sleep 1; done

K="Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY"
curl -sf -H "$K" -H 'Content-Type: application/json' \
  -d '{"name":"bench","language":"en_US","category":"marketing","body":"Hi {{1}}"}' "localhost:$PORT/api/whatsapp/templates" >/dev/null
ID=$(curl -sf -H "$K" -H 'Content-Type: application/json' \
  -d '{"name":"bench upload","templateName":"bench","templateLanguage":"en_US"}' "localhost:$PORT/api/whatsapp/campaigns" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

cpu() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; }
DB=$(cat "$WACAST_HOME/$WACAST_INSTANCE/mariadb/mariadbd.pid")
S0=$(cpu $SERVICE); D0=$(cpu "$DB"); L0=$(cut -d' ' -f1 /proc/loadavg); T0=$(date +%s.%N)
CODE=$(curl -s -o "/tmp/$SCHEMA.report" -w '%{http_code}' -H "$K" -H 'Content-Type: text/csv' --data-binary @"$CSV" \
  "localhost:$PORT/api/whatsapp/campaigns/$ID/recipients")
T1=$(date +%s.%N); S1=$(cpu $SERVICE); D1=$(cpu "$DB"); L1=$(cut -d' ' -f1 /proc/loadavg)
printf '%s: HTTP %s, wall %.1f s, service CPU %.1f s, MariaDB CPU %.1f s, load %s -> %s, RSS %s MB\n' "$SCHEMA" "$CODE" \
  "$(echo "$T1 - $T0" | bc)" "$(echo "$S1 - $S0" | bc)" "$(echo "$D1 - $D0" | bc)" "$L0" "$L1" \
  "$(( $(awk '/VmRSS/{print $2}' "/proc/$SERVICE/status") / 1024 ))"
head -c 300 "/tmp/$SCHEMA.report"; echo
