#!/bin/bash
# Dispatch benchmark of campaign-service (BENCHMARKS.md, "Dispatch, applier, stats"):
#   campaign-service/bench/dispatch-bench.sh [APPDIR] [extra java opts...]  -> jobs/s and CPU seconds
# WARM=1 first dispatches (and cancels) another 200k campaign in the same service: the measured one then
# runs warm, without the JIT compiling beside it (about five of a cold run's eleven CPU seconds).
# Needs the shared work instance (WACAST_INSTANCE=work WACAST_PORT_OFFSET=20000 ./wacast infra up).
# 200,000 recipients on phone-number id 100000000000099, which no sender serves: nothing is sent.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
APP="${1:-campaign-service/target/quarkus-app}"; shift || true
eval "$(WACAST_INSTANCE=work WACAST_PORT_OFFSET=20000 ./wacast env)"
[[ -f /tmp/200k.csv ]] || python3 -c "
with open('/tmp/200k.csv','w') as f:
    f.write('phone,name,body.1\n')
    for i in range(200_000): f.write(f'+9196{i:08d},Name {i},V{i}\n')"
K="Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY"; B=localhost:49081/api/whatsapp
m() { curl -s localhost:49081/q/metrics | grep "^$1" | awk '{s+=$2} END {printf "%d\n", s+0}'; }
env ${ENVS:-} QUARKUS_HTTP_PORT=49081 WACAST_CAMPAIGN_APPLIER_ENABLED=false WACAST_CAMPAIGN_DISPATCH_MAX_IN_FLIGHT=2000000 \
  java -Xmx512m "$@" -jar $APP/quarkus-run.jar > /tmp/dbench-service.log 2>&1 &
PID=$!
for _ in $(seq 300); do curl -sf localhost:49081/q/health/ready >/dev/null && break; kill -0 $PID 2>/dev/null || { echo "the service exited: /tmp/dbench-service.log" >&2; exit 1; }; sleep 0.3; done
curl -s -o /dev/null -H "$K" -H 'Content-Type: application/json' -d '{"name":"bench_applier","language":"en_US","category":"marketing","body":"Hi {{1}}"}' $B/templates
if [[ "${WARM:-0}" == 1 ]]; then
  W=$(curl -s -H "$K" -H 'Content-Type: application/json' -d '{"name":"bench warm-up","templateName":"bench_applier","templateLanguage":"en_US","phoneNumberId":"100000000000099"}' $B/campaigns | jq .id)
  curl -s -o /dev/null -H "$K" -H 'Content-Type: text/csv' --data-binary @/tmp/200k.csv $B/campaigns/$W/recipients
  base=$(m wacast_outbox_published_total); curl -s -o /dev/null -H "$K" -X POST $B/campaigns/$W/send
  until [ $(( $(m wacast_outbox_published_total) - base )) -ge 200000 ]; do sleep 0.5; done
  curl -s -o /dev/null -H "$K" -X POST $B/campaigns/$W/cancel
fi
ID=$(curl -s -H "$K" -H 'Content-Type: application/json' -d '{"name":"bench dispatch","templateName":"bench_applier","templateLanguage":"en_US","phoneNumberId":"100000000000099"}' $B/campaigns | jq .id)
curl -s -o /dev/null -H "$K" -H 'Content-Type: text/csv' --data-binary @/tmp/200k.csv $B/campaigns/$ID/recipients
sleep 3
# Measure on a settled database: the previous run's cleanup (its 200k queued rows cancelled by the
# engine, then purged by InnoDB) otherwise competes with this run — the same build measured
# 4.8k–24.6k jobs/s without this wait, MariaDB using 15 s of CPU instead of 5 s in the slow runs.
DBPID0=$(pgrep -f 'mariadbd.*23306')
for _ in $(seq 120); do
  a=$(awk '{print $14+$15}' /proc/$DBPID0/stat); sleep 2; b=$(awk '{print $14+$15}' /proc/$DBPID0/stat)
  (( b - a < 20 )) && break
done
DBPID=$(pgrep -f 'mariadbd.*23306'); KPID=$(pgrep -f "kafka.Kafka $PWD/.wacast/work")
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
exec 9>/tmp/wacast-bench.lock; flock 9
uptime
# index entries MariaDB walked (Handler_read_next): about one per job; 63 when the claim walked the
# entries earlier rounds left delete-marked (DESIGN.md §11 D33)
walked() { mariadb -h127.0.0.1 -P"$WACAST_DB_PORT" -ucampaign -p"$WACAST_CAMPAIGN_DB_PASSWORD" -N -e "SHOW GLOBAL STATUS LIKE 'Handler_read_next'" | awk '{print $2}'; }
h0=$(walked); c0=$(cpu $PID); d0=$(cpu $DBPID); k0=$(cpu $KPID)
base=$(m wacast_outbox_published_total); start=$(date +%s.%N); curl -s -o /dev/null -H "$K" -X POST $B/campaigns/$ID/send
until [ $(( $(m wacast_outbox_published_total) - base )) -ge 200000 ]; do sleep 0.2; done
end=$(date +%s.%N)
c1=$(cpu $PID); d1=$(cpu $DBPID); k1=$(cpu $KPID); h1=$(walked)
flock -u 9
echo "campaign $ID: $(echo "200000 / ($end - $start)" | bc -l | cut -d. -f1) jobs/s in $(echo "$end - $start" | bc) s; cpu service $(( (c1-c0) ))/100 s, mariadb $(( (d1-d0) ))/100 s, kafka $(( (k1-k0) ))/100 s; published $(( $(m wacast_outbox_published_total) - base )); index entries walked $(( h1 - h0 ))"
uptime
curl -s -o /dev/null -H "$K" -X POST $B/campaigns/$ID/cancel
# Let the engine finish cancelling the 200k queued rows before the service stops: otherwise the next
# run's service does it while that run is measured.
for _ in $(seq 300); do
  left=$(mariadb -h127.0.0.1 -P"$WACAST_DB_PORT" -ucampaign -p"$WACAST_CAMPAIGN_DB_PASSWORD" wacast_campaign -N -e \
    "SELECT COUNT(*) FROM recipients WHERE campaign_id = $ID AND status IN ('pending', 'queued')" 2>/dev/null || echo 0)
  [[ "${left:-0}" -eq 0 ]] && break; sleep 1
done
kill $PID; wait $PID 2>/dev/null
