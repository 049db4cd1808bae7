#!/usr/bin/env bash
# The demo campaign of `./wacast run`: 10,000 recipients through the operator API, sent through the
# whole system against the Meta simulator, with live progress, then the stats next to the
# simulator's truth. Run by ./wacast (which exports the URLs and the local bootstrap key); it can be
# run again on a running system: `WACAST_DEMO_RECIPIENTS=2000 ./wacast demo`.
set -euo pipefail

: "${WACAST_CAMPAIGN_URL:?run me through ./wacast demo}" "${WACAST_SIMULATOR_URL:?}" "${WACAST_API_BOOTSTRAP_KEY:?}"
RECIPIENTS="${WACAST_DEMO_RECIPIENTS:-10000}"
RATE="${WACAST_THROUGHPUT:-250}"
API="$WACAST_CAMPAIGN_URL/api/whatsapp"
AUTH="Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ -t 1 ]]; then B=$'\e[1m'; G=$'\e[32m'; C=$'\e[36m'; M=$'\e[35m'; R=$'\e[31m'; D=$'\e[2m'; N=$'\e[0m'; else B= G= C= M= R= D= N=; fi
command -v jq >/dev/null || { echo "the demo needs jq (apt-get install jq)" >&2; exit 1; }

# call METHOD PATH [curl args...]: prints the body; fails with the problem's detail on 4xx/5xx.
call() {
  local method="$1" path="$2"; shift 2
  local status
  status="$(curl -sS -o "$WORK/body" -w '%{http_code}' -X "$method" -H "$AUTH" "$@" "$API$path")"
  if [[ "$status" -ge 400 ]]; then
    echo "${R}$method $path → $status${N} $(jq -r '.detail // .title // .' "$WORK/body" 2>/dev/null || cat "$WORK/body")" >&2
    return 1
  fi
  cat "$WORK/body"
}

printf '%s==>%s demo campaign: %s recipients at up to %s msg/s (the simulator plays Meta)\n' "$B" "$N" "$RECIPIENTS" "$RATE"

# The simulator caps the number like Meta would; its error injection stays on for the few numbers
# below that end in 0026 (undeliverable), 0049 (marketing limit) and 0050 (user opted out).
curl -sS -f -X PUT "$WACAST_SIMULATOR_URL/sim/config" -H 'Content-Type: application/json' \
  -d "{\"throughputPerSecond\":$RATE}" >/dev/null

# The approved template, registered as Meta has it (image header, two body parameters, URL button).
# 409: the template sync at start read it from the simulator first, or wrote it between this request's check and its insert; 503: both wrote it at the same
# moment and the registration yielded (nothing written), so it is asked again.
for attempt in 1 2 3 4 5; do
  call POST /templates -H 'Content-Type: application/json' -d '{
    "name": "tour_package_marketing", "language": "en_US", "category": "marketing", "headerType": "image",
    "body": "Pack your bags for {{1}}! 7 nights with flights and hotel from {{2}}. Seats are limited.",
    "buttons": [{"type": "url", "text": "View package", "url": "https://tours.example.com/p/{{1}}", "parameter": true}]
  }' >/dev/null 2>"$WORK/err" && break
  grep -q 409 "$WORK/err" && break
  grep -q 503 "$WORK/err" && [[ $attempt -lt 5 ]] && { sleep 1; continue; }
  cat "$WORK/err" >&2; exit 1
done

campaign="$(call POST /campaigns -H 'Content-Type: application/json' -d "{
  \"name\": \"Demo: Bali for the holidays $(date +%H:%M:%S)\",
  \"description\": \"10,000-recipient demo of ./wacast run\",
  \"templateName\": \"tour_package_marketing\", \"templateLanguage\": \"en_US\",
  \"templateVariables\": {\"header.image\": \"https://tours.example.com/img/bali.jpg\", \"button.url.0\": \"bali-7n\", \"body.2\": \"₹45,000\"},
  \"rateLimit\": $((RATE * 60))
}" | jq -r .id)"
printf '  campaign %s created\n' "$campaign"

# Recipients as a CSV upload: Indian mobiles whose last four digits avoid the simulator's fault
# numbers, plus 1% chosen to fail the ways Meta fails.
awk -v n="$RECIPIENTS" 'BEGIN {
  print "phone,name,body.1"
  faulty = int(n / 100); suffix[0] = "0026"; suffix[1] = "0049"; suffix[2] = "0050"
  for (i = 0; i < n - faulty; i++) printf "+91%d,Traveller %d,Bali\n", 9800000000 + int(i / 9000) * 10000 + 1000 + (i % 9000), i
  for (i = 0; i < faulty; i++) printf "+9197%04d%s,Traveller F%d,Bali\n", i, suffix[i % 3], i
}' >"$WORK/recipients.csv"
loaded="$(call POST "/campaigns/$campaign/recipients" -H 'Content-Type: text/csv' --data-binary @"$WORK/recipients.csv")"
printf '  recipients: %s accepted, %s duplicates, %s already opted out, %s rejected\n' \
  "$(jq -r .accepted <<<"$loaded")" "$(jq -r .duplicates <<<"$loaded")" "$(jq -r .optedOut <<<"$loaded")" "$(jq -r .rejectedCount <<<"$loaded")"

call POST "/campaigns/$campaign/send" >/dev/null
started=$SECONDS
printf '  sending…\n\n'

bar() { # done total width
  local filled=$(($1 * $3 / ($2 > 0 ? $2 : 1))) i out=""
  for ((i = 0; i < $3; i++)); do if ((i < filled)); then out+="█"; else out+="░"; fi; done
  printf '%s' "$out"
}

status=sending failures=0
while [[ "$status" != completed && "$status" != cancelled ]]; do
  sleep 1
  if ! stats="$(call GET "/campaigns/$campaign/stats")"; then
    ((++failures < 10)) || { echo "stats unavailable 10 times in a row; stopping the demo" >&2; exit 1; }
    continue
  fi
  failures=0
  read -r status total sent delivered read failed opted done <<<"$(jq -r '[.campaign.status, .stats.total, .stats.sent,
    .stats.delivered, .stats.read, .stats.failed, .stats.optedOut, .progress.done] | map(tostring) | join(" ")' <<<"$stats")"
  printf '\r  %s %3d%%  %ssent %-6s%s %sdelivered %-6s%s %sread %-6s%s %sfailed %-5s%s opted out %-4s %3ds ' \
    "$(bar "$done" "$total" 30)" $((done * 100 / (total > 0 ? total : 1))) \
    "$B" "$sent" "$N" "$G" "$delivered" "$N" "$C" "$read" "$N" "$R" "$failed" "$N" "$opted" $((SECONDS - started))
  if [[ "$status" == paused ]]; then printf '\n  %scampaign paused by wacast (see its stats); resume with POST …/resume%s\n' "$M" "$N"; break; fi
  if ((SECONDS - started > 900)); then printf '\n  gave up waiting after 15 minutes\n'; break; fi
done
printf '\n\n'

# Webhooks for read and replies keep arriving for a few seconds after the last send.
sleep 5
stats="$(call GET "/campaigns/$campaign/stats")"
truth="$(curl -sS -f "$WACAST_SIMULATOR_URL/sim/stats?campaignId=$campaign")"
printf '%s==>%s campaign %s %s in %ss\n' "$B" "$N" "$campaign" "$(jq -r .campaign.status <<<"$stats")" $((SECONDS - started))
jq -r '"  total \(.stats.total)  sent \(.stats.sent)  delivered \(.stats.delivered)  read \(.stats.read)  responded \(.stats.responded)  failed \(.stats.failed)  opted out \(.stats.optedOut)  unknown \(.stats.unknown)",
  "  delivery \(.metrics.deliveryRate)  read \(.metrics.readRate)  response \(.metrics.responseRate)  failure \(.metrics.failureRate)",
  (.errorBreakdown[]? | "  error \(.code) × \(.count): \(.meaning)")' <<<"$stats"
jq -r --arg d "$D" --arg n "$N" '"\($d)  simulator truth: accepted \(.acceptedCalls)  rejected \(.rejectedByCode | tostring)  sent \(.sent)  delivered \(.delivered)  read \(.read)  failed by webhook \(.failedByCode | tostring)  replies \(.replies)  opt-out replies and errors \(.optOuts)  orders \(.orders)  recipients messaged twice: \(.duplicates | length)\($n)"' <<<"$truth"
