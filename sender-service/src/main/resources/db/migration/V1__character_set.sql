-- Every text column holds names, template variables and replies in any script (and emoji):
-- pin the schema's defaults to utf8mb4 whatever the server's defaults are. The collation exists on
-- both MySQL 8 (production) and MariaDB 10.11 (local and CI).
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
