#!/usr/bin/env bash
# The packaged simulator's CPU per send call (issue 18 item 5: ≤ 0.1 ms), webhooks included.
#
#   meta-simulator/bench/cpu-per-call.sh RATE SECONDS "JVM OPTIONS" [jfr]
#   meta-simulator/bench/cpu-per-call.sh 300 20 "-Xmx192m -XX:+UseShenandoahGC -XX:TieredStopAtLevel=1"
#
# Starts meta-simulator/target/quarkus-app (build it first) on port 24190 with its default settings and
# no cap, warms it with 10 s of bench/SendLoad.java at RATE, then reads its CPU time (/proc/<pid>/stat)
# around SECONDS more at RATE and the 8 s of webhooks after them (SendLoad's sink on 24189 answers them).
# With "jfr", a flight recording sampling every 1 ms goes to target/cpu-per-call.jfr.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE="$1" SECS="$2" OPTS="$3" JFR="${4:-}"
jfr=()
if [[ "$JFR" == jfr ]]; then
  sed 's|<setting name="period" control="method-sampling-java-interval">10 ms</setting>|<setting name="period" control="method-sampling-java-interval">1 ms</setting>|' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > meta-simulator/target/fine.jfc
  jfr=("-XX:StartFlightRecording=filename=meta-simulator/target/cpu-per-call.jfr,settings=meta-simulator/target/fine.jfc,delay=10s")
fi
# shellcheck disable=SC2086 # OPTS is a list of JVM options
java $OPTS "${jfr[@]}" -Dquarkus.http.port=24190 -Dwacast.sim.access-token=bench -Dwacast.sim.app-secret=bench \
  -Dwacast.sim.webhook.url=http://127.0.0.1:24189/webhooks/whatsapp \
  -jar meta-simulator/target/quarkus-app/quarkus-run.jar > meta-simulator/target/cpu-per-call.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:24190/q/health/ready >/dev/null; do sleep 0.3; done
curl -sf -X PUT -H 'Content-Type: application/json' http://127.0.0.1:24190/sim/config -d '{"throughputPerSecond":100000}' >/dev/null
java meta-simulator/bench/SendLoad.java http://127.0.0.1:24190 bench "$RATE" 10 24189 >/dev/null
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
java meta-simulator/bench/SendLoad.java http://127.0.0.1:24190 bench "$RATE" "$SECS" 24189
after=$(ticks)
calls=$((RATE * SECS))
hz=$(getconf CLK_TCK)
awk -v t=$((after - before)) -v hz="$hz" -v n="$calls" -v o="$OPTS" \
  'BEGIN { printf "simulator CPU: %.2f s for %d calls and their webhooks = %.3f ms a call (%s)\n", t / hz, n, 1000 * t / hz / n, o }'
