#!/bin/bash
# MySQL image init script (docker-compose): one database and one user per service that owns data,
# the same as ./wacast infra up creates locally. Passwords come from the environment (.env).
set -euo pipefail
for owner in campaign sender catalog; do
  var="WACAST_${owner^^}_DB_PASSWORD"
  password="${!var:?$var is not set}"
  mysql -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
CREATE DATABASE IF NOT EXISTS wacast_$owner CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$owner'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON wacast_$owner.* TO '$owner'@'%';
SQL
done
