#!/usr/bin/env python3
"""Writes N unique, signed webhook deliveries of 3 statuses each, one per line: signature TAB body.

Usage: signed-requests.py COUNT SECRET [RUN] > requests.tsv   (RUN: a tag making wamids unique per run)
Each delivery is unique (new wamids), so the service publishes every event instead of deduplicating.
"""
import hashlib
import hmac
import json
import sys
import time

count, secret = int(sys.argv[1]), sys.argv[2].split(",")[0].encode()
run = sys.argv[3] if len(sys.argv) > 3 else "bench"
campaign = 900000000
now = int(time.time())  # Meta timestamps within the accepted window (wacast.webhook.timestamps)
for n in range(count):
    statuses = []
    for i, status in enumerate(("sent", "delivered", "read")):
        recipient = 1 + (n * 3 + i) % 1_000_000
        statuses.append({
            "id": f"wamid.{run}-{n}-{i}", "status": status, "timestamp": str(now - n % 3600),
            "recipient_id": f"9199{recipient:08d}", "biz_opaque_callback_data": f"wc:{campaign + n % 50}:{recipient}",
            "conversation": {"id": f"conv-{n}", "origin": {"type": "marketing"}},
            "pricing": {"billable": True, "pricing_model": "PMP", "category": "marketing"}})
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "200000000000001", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp",
                                        "metadata": {"display_phone_number": "15550001111",
                                                     "phone_number_id": "100000000000001"},
                                        "statuses": statuses}}]}]}, separators=(",", ":"))
    signature = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
    sys.stdout.write(f"sha256={signature}\t{body}\n")
