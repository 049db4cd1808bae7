-- Operator keys live in campaign-service only (docs/DESIGN.md D21): this service verifies them there.
-- Keys issued here before are gone; issue them again in campaign-service (POST /api/whatsapp/api-keys).
DROP TABLE api_key;
