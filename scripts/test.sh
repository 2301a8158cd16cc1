#!/usr/bin/env bash
# make test: the same set-up as make run (plus Chromium), then lint, type-check and the suite.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh --with-browser
bash scripts/services.sh data
# Tests use their own Redis database so they never see the running app's queues.
export NT_REDIS_URL="redis://127.0.0.1:$NT_REDIS_PORT/${NT_TEST_REDIS_DB:-15}"
export NT_TESTING=1
"$PY" manage.py collectstatic --noinput >/dev/null
log "ruff"
ruff check .
ruff format --check .
log "mypy"
mypy .
log "Django system checks and migrations"
"$PY" manage.py check --fail-level WARNING
"$PY" manage.py makemigrations --check --dry-run >/dev/null
log "pytest"
pytest "$@"
