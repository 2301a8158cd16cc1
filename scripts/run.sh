#!/usr/bin/env bash
# make run: set up, start the data services, migrate, load the demo partnership once, start the app.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/services.sh data
log "Migrating"
"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py collectstatic --noinput >/dev/null
log "Loading the demo partnership (only if the database has none)"
"$PY" manage.py seed_partnership --children "$NT_DEMO_CHILDREN" --if-empty
# Derived views the worker and beat keep up to date; built once here so the demo opens full.
log "Evaluating drift and building the dashboards"
"$PY" manage.py drift_evaluate >/dev/null
"$PY" manage.py build_dashboards >/dev/null
bash scripts/services.sh app
"$PY" manage.py demo_logins --url "http://127.0.0.1:$NT_WEB_PORT/"
