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
# Tests connect as the owner (pytest-django creates and flushes databases); one test connects
# as the application role to prove it cannot change the logs. Asynchronous commit for speed:
# test databases are thrown away, so losing their last commits in a crash costs nothing.
unset NT_DB_APP_USER NT_LOG_DIR
export NT_DB_SYNCHRONOUS_COMMIT=off
"$PY" manage.py collectstatic --noinput >/dev/null
log "ruff"
ruff check .
ruff format --check .
log "mypy"
mypy .
log "Django system checks and migrations"
"$PY" manage.py check --fail-level WARNING
"$PY" manage.py makemigrations --check --dry-run >/dev/null
log "bandit (medium and high findings fail; tests/test_security_headers.py runs check --deploy)"
bandit -q -ll -c pyproject.toml -r neglect_tracker cases assessments learning reporting bench
log "pytest"
pytest "$@"
