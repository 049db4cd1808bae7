#!/usr/bin/env bash
# Audience count and snapshot on 1,000,000 contacts (BENCHMARKS.md, "Audiences"). MariaDB of a ./wacast
# instance; the packaged campaign-service (./mvnw -pl common,campaign-service -am package -DskipTests)
# against a schema of its own, so the 1M contacts stay out of the tests' schema.
#   eval "$(WACAST_INSTANCE=… WACAST_PORT_OFFSET=… ./wacast env)"; campaign-service/bench/audience-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SOCK=${SOCK:-$(ls .wacast/*/mariadb/mariadb.sock | head -1)}
DB=wacast_campaign_bench
PORT=${PORT:-18181}
sql() { mariadb --no-defaults --socket="$SOCK" -uroot "$@"; }
K="Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY"
B="localhost:$PORT/api/whatsapp"

sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  GRANT ALL PRIVILEGES ON $DB.* TO 'campaign'@'%'; GRANT ALL PRIVILEGES ON $DB.* TO 'campaign'@'localhost';"
QUARKUS_HTTP_PORT=$PORT \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:mysql://127.0.0.1:$WACAST_DB_PORT/$DB?rewriteBatchedStatements=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true" \
WACAST_CAMPAIGN_DISPATCH_ENABLED=false WACAST_CAMPAIGN_APPLIER_ENABLED=false WACAST_CAMPAIGN_TEMPLATE_SYNC_ENABLED=false \
WACAST_SERIES_ENABLED=false MALLOC_ARENA_MAX=2 \
  java -Xms32m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError -Xmx256m \
  -jar "${JAR:-campaign-service/target/quarkus-app/quarkus-run.jar}" > /tmp/audience-bench-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
until curl -sf "localhost:$PORT/q/health/ready" >/dev/null; do sleep 2; done

echo "== seeding 1M contacts"; time sql $DB < campaign-service/bench/audience-1m.sql

curl -sf -H "$K" -H 'Content-Type: application/json' -d '{"name":"bench_hello","language":"en_US","category":"marketing",
  "body":"Hi {{1}}, new trips this week"}' $B/templates >/dev/null
jid() { python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])'; }
count() { # name, filter JSON: creates the audience, then times three counts
  local id; id=$(curl -sf -H "$K" -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"filter\":$2}" $B/audiences | jid)
  for run in 1 2 3; do
    curl -sf -H "$K" -o /tmp/audience-count.json -w "%{time_total}" $B/audiences/$id/count
    echo " s  $1  $(cat /tmp/audience-count.json)"
  done
  LAST_ID=$id
}
echo "== counts"
count everyone '{}'
count opted_in '{"consent":{"status":"opted_in"}}'
count tag_opted_in '{"tags":{"all":["bench-t3"]},"consent":{"status":"opted_in"}}'
count goa_web_form '{"attributes":[{"name":"city","op":"eq","value":"Goa"}],"consent":{"sources":["web_form"]}}'
count not_t1_in_IN '{"tags":{"none":["bench-t1"]},"countries":["IN"],"consent":{"status":"opted_in"},"notMessagedInDays":7}'
count suppressed '{"consent":{"status":"opted_out"}}'
count tag_any '{"tags":{"any":["bench-t3"]}}'
count not_t1 '{"tags":{"none":["bench-t1"]}}'
count country_in '{"countries":["IN"]}'
count source_csv '{"consent":{"sources":["csv_import"]}}'
count t3_in_opted_in '{"tags":{"all":["bench-t3"]},"countries":["IN"],"consent":{"status":"opted_in"}}'
count goa '{"attributes":[{"name":"city","op":"eq","value":"Goa"}]}'
count not_messaged_7d '{"notMessagedInDays":7}'
count everyone_again '{}'
EVERYONE=$(curl -sf -H "$K" "$B/audiences?size=1000" \
  | python3 -c 'import sys, json; print([a["id"] for a in json.load(sys.stdin)["items"] if a["name"] == "everyone"][0])')

echo "== snapshot of the 1M audience into a campaign at send"
CAMPAIGN=$(curl -sf -H "$K" -H 'Content-Type: application/json' -d '{"name":"bench snapshot","templateName":"bench_hello",
  "templateLanguage":"en_US"}' $B/campaigns | jid)
curl -sf -X PUT -H "$K" -H 'Content-Type: application/json' -d "{\"audienceId\":$EVERYONE,\"variables\":{\"body.1\":\"first_name\"}}" \
  $B/campaigns/$CAMPAIGN/audience >/dev/null
curl -sf -X POST -H "$K" -o /dev/null -w "send: HTTP %{http_code} in %{time_total} s\n" $B/campaigns/$CAMPAIGN/send
curl -sf -H "$K" $B/campaigns/$CAMPAIGN/audience; echo
sql $DB -e "SELECT status, COUNT(*) FROM recipients WHERE campaign_id = $CAMPAIGN GROUP BY status;
  SELECT status, recipients FROM campaign_counters WHERE campaign_id = $CAMPAIGN AND recipients > 0;"
echo "== recipients of the snapshot campaign in a status"
count "pending_of_$CAMPAIGN" "{\"recipientsOf\":[{\"campaignId\":$CAMPAIGN,\"statuses\":[\"pending\"]}]}"
