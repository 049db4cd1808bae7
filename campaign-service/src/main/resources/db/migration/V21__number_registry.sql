-- The registry of business numbers (issue 17 §5): what configuration says about each number beside
-- what Meta's webhooks said. access_token_ref names the secret that holds the number's token (for
-- example WACAST_META_ACCESS_TOKEN_SHOP2); the token itself is never stored or served.
-- throughput_per_second: the configured cap (msg/s); registered_at: when configuration last named the
-- number. A number known only from configuration has no event yet, hence last_event NULL.
ALTER TABLE whatsapp_numbers
    MODIFY last_event VARCHAR(32) NULL,
    ADD COLUMN access_token_ref      VARCHAR(128) NULL,
    ADD COLUMN throughput_per_second INT          NULL,
    ADD COLUMN registered_at         DATETIME(6)  NULL;
