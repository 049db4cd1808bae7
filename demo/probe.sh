#!/usr/bin/env bash
# The hardening probe (issue "Hardening", docs/DESIGN.md §7): replays, against a running system, every
# careless-client and attacker request that once found a 500, a wrong 4xx, an impossible transition or a
# leak, and says for each whether the answer is now what the contract promises. Run it through the
# launcher on a system started by `./wacast up` or `./wacast run`: `./wacast probe`.
#
# It writes: one template, a few campaigns named "probe …", a catalog with a product, two API keys (one
# revoked), signed webhook deliveries. It sends one 20-recipient campaign to the simulator, so that the
# status-integrity probes have recipients Meta refused (131049, 131050) and one that was read.
set -uo pipefail

: "${WACAST_CAMPAIGN_URL:?run me through ./wacast probe}" "${WACAST_CATALOG_URL:?}" "${WACAST_WEBHOOK_URL:?}"
: "${WACAST_SIMULATOR_URL:?}" "${WACAST_API_BOOTSTRAP_KEY:?}" "${WACAST_META_APP_SECRET:?}"
API="$WACAST_CAMPAIGN_URL/api/whatsapp"
SHOP="$WACAST_CATALOG_URL/api/whatsapp"
HOOK="$WACAST_WEBHOOK_URL/webhooks/whatsapp"
AUTH="Authorization: Bearer $WACAST_API_BOOTSTRAP_KEY"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
command -v jq >/dev/null || { echo "the probe needs jq (apt-get install jq)" >&2; exit 1; }
if [[ -t 1 ]]; then G=$'\e[32m'; R=$'\e[31m'; D=$'\e[2m'; B=$'\e[1m'; N=$'\e[0m'; else G= R= D= B= N=; fi

passed=0 failed=0
# Words that only a library's internals or a stack trace would put in an answer.
INTERNALS='Exception|StreamReadConstraints|jackson|hibernate|org\.|java\.|io\.vertx|SQL|at io\.wacast|Caused by|Invalid UTF-8 middle byte'

ok() { passed=$((passed + 1)); printf '  %s✓%s %s %s%s%s\n' "$G" "$N" "$1" "$D" "$2" "$N"; }
bad() { failed=$((failed + 1)); printf '  %s✗ %s%s — %s\n' "$R" "$1" "$N" "$2"; }

# probe WHAT EXPECTED_STATUS [JQ_CONDITION] -- curl arguments
# A 4xx must be application/problem+json with a status member equal to the HTTP status, and no answer
# may carry a library's internals. JQ_CONDITION (optional) must hold on the body.
probe() {
  local what="$1" expected="$2" condition="" status type
  shift 2
  if [[ "$1" != -- ]]; then condition="$1"; shift; fi
  shift
  status="$(curl -sS -o "$WORK/body" -D "$WORK/head" -w '%{http_code}' "$@" 2>"$WORK/err")" || true
  type="$(grep -i '^content-type:' "$WORK/head" | tail -1 | tr -d '\r' | cut -d' ' -f2- | cut -d';' -f1)"
  local said="$status $(head -c 160 "$WORK/body" | tr '\n' ' ')"
  if [[ "$status" != "$expected" ]]; then bad "$what" "expected $expected, got $said"; return; fi
  if [[ "$status" -ge 400 ]]; then
    if [[ "$type" != application/problem+json ]]; then bad "$what" "a $status as '$type', not application/problem+json"; return; fi
    if [[ "$(jq -r .status "$WORK/body" 2>/dev/null)" != "$status" ]]; then bad "$what" "problem without status $status: $said"; return; fi
  fi
  if grep -Eq "$INTERNALS" "$WORK/body"; then bad "$what" "library internals in the answer: $said"; return; fi
  if [[ -n "$condition" ]] && ! jq -e "$condition" "$WORK/body" >/dev/null 2>&1; then bad "$what" "not true: $condition on $said"; return; fi
  ok "$what" "→ $status${condition:+, $condition}"
}

json() { printf '%s' "$1" >"$WORK/json"; }
signed() { # BODY_FILE → SIGNED: the curl arguments of that body delivered signed, as Meta would
  local sig
  sig="sha256=$(openssl dgst -sha256 -hmac "${WACAST_META_APP_SECRET%%,*}" "$1" | awk '{print $NF}')"
  SIGNED=(-H 'Content-Type: application/json' -H "X-Hub-Signature-256: $sig" --data-binary "@$1" "$HOOK")
}
delivery() { # ENTRY_VALUE_JSON → a whole delivery in Meta's envelope, in $WORK/hook
  printf '{"object":"whatsapp_business_account","entry":[{"id":"200000000000001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"%s"},%s}}]}]}' \
    "${WACAST_META_PHONE_NUMBER_ID:-100000000000001}" "$1" >"$WORK/hook"
}
api() { curl -sS -H "$AUTH" "$@"; }
apij() { api -H 'Content-Type: application/json' "$@"; }

printf '%s==>%s hardening probe against %s\n' "$B" "$N" "$API"

# ---- set-up: a template and a small campaign sent to the simulator -----------------------------------
# The demo's template, which the simulator (Meta) knows; 409 when it is registered already.
apij -o /dev/null -d '{"name": "tour_package_marketing", "language": "en_US", "category": "marketing", "headerType": "image",
  "body": "Pack your bags for {{1}}! 7 nights with flights and hotel from {{2}}. Seats are limited.",
  "buttons": [{"type": "url", "text": "View package", "url": "https://tours.example.com/p/{{1}}", "parameter": true}]}' "$API/templates"
campaign_body() {
  printf '{"name":"probe %s","templateName":"tour_package_marketing","templateLanguage":"en_US","templateVariables":{"header.image":"https://tours.example.com/img/bali.jpg","button.url.0":"bali-7n","body.1":"Bali","body.2":"₹45,000"}%s}' "$1" "${2:-}"
}
sent="$(apij -d "$(campaign_body "sent $(date +%s)")" "$API/campaigns" | jq -r .id)"
stamp="$(printf %04d $(( $(date +%s) % 10000 )))" # fresh numbers each run: 131050 puts a number on the suppression list
{ echo phone,name; for i in $(seq 10 27); do echo "+9197${stamp}00$i,Probe $i"; done; echo "+9197${stamp}0049,Probe 49"; echo "+9197${stamp}0050,Probe 50"; } >"$WORK/small.csv"
loaded="$(api -H 'Content-Type: text/csv' --data-binary "@$WORK/small.csv" "$API/campaigns/$sent/recipients")"
[[ "$(jq -r .accepted <<<"$loaded")" == 20 ]] || { echo "set-up: the upload was not accepted: $loaded" >&2; exit 1; }
api -o /dev/null -f -X POST "$API/campaigns/$sent/send" || { echo "set-up: campaign $sent could not be sent" >&2; exit 1; }
for _ in $(seq 1 120); do
  [[ "$(api "$API/campaigns/$sent/stats" | jq -r .campaign.status)" == completed ]] && break
  sleep 1
done

echo "${B}500s that must be problems${N}"
json "$(campaign_body "long default" | jq -c --arg v "$(head -c 100000 /dev/zero | tr '\0' x)" '.templateVariables["body.1"] = $v')"
probe "a 100 KB template-variable default" 400 '.errors[0].field | test("templateVariables")' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$API/campaigns"
json "$(campaign_body "year 10000" ',"scheduledFor":"+10000-01-01T00:00:00Z"')"
probe "scheduledFor in year 10000" 400 '.errors[0].field == "scheduledFor"' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$API/campaigns"
probe "campaigns ?page=2147483647" 400 '.errors[0].field == "page"' -- -H "$AUTH" "$API/campaigns?page=2147483647"
probe "products ?page=2147483647" 400 '.errors[0].field == "page"' -- -H "$AUTH" "$SHOP/products?page=2147483647"
catalog="$(apij -d '{"name":"probe catalog '"$(date +%s%N)"'"}' "$SHOP/catalogs" | jq -r .id)"
json '{"catalogId":'"$catalog"',"retailerId":"probe-'"$(date +%s%N)"'","name":"Dear","priceMinor":9223372036854775807,"currency":"INR","stock":5}'
probe "a product priced Long.MAX_VALUE" 400 '.errors[0].field == "priceMinor"' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$SHOP/products"

echo "${B}the right 4xx, naming the parameter${N}"
probe "campaigns ?size=abc" 400 '.errors[0].field == "size"' -- -H "$AUTH" "$API/campaigns?size=abc"
probe "campaigns ?page=1e3" 400 '.errors[0].field == "page"' -- -H "$AUTH" "$API/campaigns?page=1e3"
probe "orders/abc" 400 '.errors[0].field == "id"' -- -H "$AUTH" "$SHOP/orders/abc"
probe "a 1 GB body announced to the campaign-service" 413 -- -H "$AUTH" -H 'Content-Type: application/json' -H 'Content-Length: 1073741824' --max-time 10 -d '{}' "$API/campaigns"
probe "a 1 GB CSV announced" 413 -- -H "$AUTH" -H 'Content-Type: text/csv' -H 'Content-Length: 1073741824' --max-time 10 -d 'phone' "$API/campaigns/$sent/recipients"
probe "a 10,000-character URI" 414 -- -H "$AUTH" "$API/campaigns?q=$(head -c 10000 /dev/zero | tr '\0' x)"
probe "a 10,000-character URI at the catalog" 414 -- -H "$AUTH" "$SHOP/catalogs?q=$(head -c 10000 /dev/zero | tr '\0' x)"
printf '%s' "$(printf '[%.0s' $(seq 1 2000))" >"$WORK/deep"; signed "$WORK/deep"
probe "a webhook nested 2,000 deep" 400 '.detail | test("nest|deep"; "i")' -- "${SIGNED[@]}"
printf '{"object":"\xc3\x28"}' >"$WORK/utf"; signed "$WORK/utf"
probe "a webhook with invalid UTF-8" 400 -- "${SIGNED[@]}"
printf '{} trailing' >"$WORK/trailing"; signed "$WORK/trailing"
probe "a signed body '{} trailing'" 400 -- "${SIGNED[@]}"
printf '{}' >"$WORK/unsigned"
probe "an unsigned delivery" 401 -- -H 'Content-Type: application/json' --data-binary "@$WORK/unsigned" "$HOOK"

echo "${B}campaigns that cannot be sent${N}"
empty="$(apij -d "$(campaign_body "empty $(date +%s)")" "$API/campaigns" | jq -r .id)"
probe "send a campaign with 0 recipients" 409 '.detail | test("no recipients")' -- -H "$AUTH" -X POST "$API/campaigns/$empty/send"
probe "… and it stays a draft" 200 '.status == "draft"' -- -H "$AUTH" "$API/campaigns/$empty"

echo "${B}impossible statuses are refused${N}"
refused_by() { # CODE → "status id" of this campaign's recipient that Meta refused with CODE
  local status
  for status in failed opted_out; do
    api "$API/campaigns/$sent/recipients?status=$status&size=100" |
      jq -r --arg c "$1" --arg s "$status" '.items[] | select((.lastErrorCode|tostring) == $c) | "\($s) \(.id)"'
  done | head -1
}
optout_before="$(api "$API/campaigns/$sent/stats" | jq -r .stats.optedOut)"
for code in 131049 131050; do
  read -r status rid <<<"$(refused_by "$code")"
  if [[ -z "${rid:-}" ]]; then bad "a read for a recipient refused with $code" "no recipient refused with $code in campaign $sent"; continue; fi
  delivery '"statuses":[{"id":"wamid.probe'"$code$(date +%s)"'","status":"read","timestamp":"'"$(date +%s)"'","recipient_id":"919876500049","biz_opaque_callback_data":"wc:'"$sent:$rid"'"}]'
  signed "$WORK/hook"; curl -sS -o /dev/null "${SIGNED[@]}"
  sleep 3 # the applier's batches are sub-second; a status applied wrongly would show by now
  probe "a signed read for a recipient Meta refused ($code) leaves it $status, without a wamid" 200 \
    ".items | map(select(.id == $rid)) | length == 1 and (.[0].wamid == null)" -- -H "$AUTH" "$API/campaigns/$sent/recipients?status=$status&size=100"
done
probe "… and the opted-out counter did not move" 200 ".stats.optedOut == $optout_before" -- -H "$AUTH" "$API/campaigns/$sent/stats"
delivery '"statuses":[{"id":"wamid.probe2100","status":"delivered","timestamp":"4102444800","recipient_id":"919876500011","biz_opaque_callback_data":"wc:'"$sent"':1"}]'
signed "$WORK/hook"
probe "a delivered dated 2100 is acknowledged and ignored" 200 '.ignored == 1 and .published == 0' -- "${SIGNED[@]}"

echo "${B}text that could forge a log or a page${N}"
for pair in 'a newline|probe\nINFO forged' 'a NUL|probe\u0000x' 'a right-to-left override|probe \u202Egpj.exe'; do
  json "$(campaign_body x | jq -c --arg n "${pair#*|}" '.name = ($n | gsub("\\\\n"; "\n") | gsub("\\\\u0000"; "\u0000") | gsub("\\\\u202E"; "\u202E"))')"
  probe "a campaign name with ${pair%%|*}" 400 '.errors[0].field == "name"' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$API/campaigns"
done
json '{"name":"probe \u202Ecat"}'
probe "a catalog name with a right-to-left override" 400 '.errors[0].field == "name"' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$SHOP/catalogs"

echo "${B}strict input${N}"
json "$(campaign_body "rate" ',"rateLimit":1.5')"
probe "rateLimit 1.5" 400 '.errors[0].field == "rateLimit"' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$API/campaigns"
json "$(campaign_body x | jq -c '.name = 123')"
probe "a name that is a number" 400 '.errors[0].field == "name"' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$API/campaigns"
json '{"name":"probe_js","language":"en_US","category":"marketing","body":"Hi","buttons":[{"type":"url","text":"Go","url":"javascript:alert(1)"}]}'
probe "a button URL javascript:alert(1)" 400 '.errors[0].field | test("buttons")' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$API/templates"
json '{"name":"probe_lang","language":"abcdefghijklmnop","category":"marketing","body":"Hi"}'
probe "a 16-letter language code" 400 '.errors[0].field == "language"' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$API/templates"
json "$(campaign_body "window" ',"sendWindow":{"startHour":9,"endHour":9,"timeZone":"Asia/Kolkata"}')"
probe "a send window 9 → 9" 400 '.errors[0].field | test("sendWindow")' -- -H "$AUTH" -H 'Content-Type: application/json' --data-binary "@$WORK/json" "$API/campaigns"

echo "${B}memory${N}"
{ echo 'phone,name'; printf '+919876512345,"'; head -c 3000000 /dev/zero | tr '\0' x; printf '"\n'; } >"$WORK/huge.csv"
probe "a CSV with one 3 MB quoted field" 413 '.detail | test("line 2 is longer than")' -- -H "$AUTH" -H 'Content-Type: text/csv' --data-binary "@$WORK/huge.csv" "$API/campaigns/$empty/recipients"

echo "${B}one key store${N}"
key="$(apij -d '{"name":"probe-'"$(date +%s%N)"'","role":"operator"}' "$API/api-keys")"
secret="$(jq -r '.key // .secret // .token' <<<"$key")" key_id="$(jq -r .id <<<"$key")"
probe "a key issued by the campaign-service works on the catalog" 200 -- -H "Authorization: Bearer $secret" "$SHOP/catalogs"
probe "revoking it" 204 -- -H "$AUTH" -X DELETE "$API/api-keys/$key_id"
for _ in $(seq 1 40); do # the catalog trusts a verified key for wacast.api.cache-ttl (30 s) at most
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $secret" "$SHOP/catalogs")" == 401 ]] && break
  sleep 1
done
probe "… refuses it at the catalog within the verifier's cache time" 401 -- -H "Authorization: Bearer $secret" "$SHOP/catalogs"
probe "… and at the campaign-service" 401 -- -H "Authorization: Bearer $secret" "$API/campaigns"

printf '\n%s==>%s %d answered as promised, %d not\n' "$B" "$N" "$passed" "$failed"
[[ $failed -eq 0 ]]
