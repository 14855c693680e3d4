#!/usr/bin/env bash
# Runs once, when the postgres image initialises an empty data volume (as the superuser
# POSTGRES_USER). The application gets a role of its own that is NOT a superuser: it owns the
# database `jejaring` (and so its public schema), which lets it create the regions' schemas and
# the trusted extensions pg_trgm, unaccent and fuzzystrmatch that its migrations need, and
# nothing beyond.
set -euo pipefail
: "${JEJARING_DB_PASSWORD:?JEJARING_DB_PASSWORD is required}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v app_password="$JEJARING_DB_PASSWORD" <<'SQL'
CREATE ROLE jejaring_app LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE jejaring OWNER jejaring_app ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE jejaring FROM PUBLIC;
SQL
