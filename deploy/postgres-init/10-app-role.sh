#!/bin/sh
# Runs once, when the postgres container initialises its data folder: creates the role the web
# server, workers and beat connect as (no superuser; migrate, run as the owner, grants it the
# tables and keeps the access and change logs append-only — cases/db_roles.py).
set -eu
psql -v ON_ERROR_STOP=1 -v role="$NT_DB_APP_ROLE" -v pw="$NT_DB_APP_PASSWORD" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
SQL
