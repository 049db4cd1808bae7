#!/usr/bin/env bash
# 1,000,000 contacts imported by CSV (BENCHMARKS.md, "Contact book"): the packaged campaign-service against
# a fresh schema of its own on the MariaDB of a ./wacast instance; prints the load average around the
# import, the answer, and whether the kept per-cell counts (V29) equal a recount afterwards.
#   eval "$(WACAST_INSTANCE=… WACAST_PORT_OFFSET=… ./wacast env)"; campaign-service/bench/contact-import-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SOCK=${SOCK:-$(ls .wacast/*/mariadb/mariadb.sock | head -1)}
DB=${DB:-wacast_campaign_import}
PORT=${PORT:-18182}
CSV=${CSV:-/tmp/contacts-1m.csv}
sql() { mariadb --no-defaults --socket="$SOCK" -uroot "$@"; }
[ -f "$CSV" ] || python3 -c "
cities=['Bali','Goa','Delhi','Pune','Jaipur']
with open('$CSV','w') as f:
    f.write('phone,name,language,tags,city\n')
    for i in range(1_000_000): f.write(f'+9197{i:08d},Name {i},en,bench;t{i%10},{cities[i%5]}\n')"
sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  GRANT ALL PRIVILEGES ON $DB.* TO 'campaign'@'%'; GRANT ALL PRIVILEGES ON $DB.* TO 'campaign'@'localhost';"
QUARKUS_HTTP_PORT=$PORT \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:mysql://127.0.0.1:$WACAST_DB_PORT/$DB?rewriteBatchedStatements=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true" \
WACAST_CAMPAIGN_DISPATCH_ENABLED=false WACAST_CAMPAIGN_APPLIER_ENABLED=false WACAST_CAMPAIGN_TEMPLATE_SYNC_ENABLED=false \
WACAST_SERIES_ENABLED=false MALLOC_ARENA_MAX=2 \
  java -Xms32m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError \
  -XX:TrimNativeHeapInterval=5000 -Xmx128m \
  -jar "${JAR:-campaign-service/target/quarkus-app/quarkus-run.jar}" > /tmp/contact-import-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
until curl -sf "localhost:$PORT/q/health/ready" >/dev/null; do sleep 2; done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
DBPID=$(cat "$(dirname "$SOCK")/mariadbd.pid")
cpu() { awk '{ print ($14 + $15) / 100 }' "/proc/$1/stat"; }
SERVICE_CPU=$(cpu $SERVICE) DB_CPU=$(cpu "$DBPID")
curl -sS -H "Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY" -H 'Content-Type: text/csv' --data-binary @"$CSV" \
  -o /tmp/contact-import-answer.json -w "import: HTTP %{http_code} in %{time_total} s\n" \
  "localhost:$PORT/api/whatsapp/contacts/import?consented=true&evidence=bench"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CPU s during the import: service $(echo "$(cpu $SERVICE) - $SERVICE_CPU" | bc), MariaDB $(echo "$(cpu "$DBPID") - $DB_CPU" | bc)"
head -c 400 /tmp/contact-import-answer.json; echo
sql $DB -e "SELECT COUNT(*) AS contacts FROM contacts; SELECT COUNT(*) AS contact_tags FROM contact_tags;"
if sql $DB -e "SELECT 1 FROM contact_counts LIMIT 1" >/dev/null 2>&1; then
  sql $DB -e "WITH k AS (SELECT tag_id, country, opt_in_source, SUM(contacts) AS n FROM contact_counts
      GROUP BY tag_id, country, opt_in_source HAVING SUM(contacts) <> 0),
    r AS (SELECT 0 AS tag_id, COALESCE(country, '') AS country, COALESCE(opt_in_source, '') AS opt_in_source, COUNT(*) AS n
      FROM contacts GROUP BY 2, 3 UNION ALL SELECT ct.tag_id, COALESCE(c.country, ''), COALESCE(c.opt_in_source, ''), COUNT(*)
      FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id GROUP BY 1, 2, 3)
    SELECT (SELECT COUNT(*) FROM k) AS kept_cells, (SELECT COUNT(*) FROM r) AS recounted_cells,
      (SELECT COUNT(*) FROM (SELECT * FROM k EXCEPT SELECT * FROM r) d) + (SELECT COUNT(*) FROM (SELECT * FROM r EXCEPT SELECT * FROM k) e)
      AS cells_that_differ;
    SELECT * FROM contact_imports;" | sed 's/^/  /'
fi
