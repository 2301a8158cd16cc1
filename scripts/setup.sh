#!/usr/bin/env bash
# Installs whatever is missing (system packages, Python venv, npm packages, static files).
# Safe to run again: each step checks first, so a rerun takes seconds.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

want_browser=0
[ "${1:-}" = "--with-browser" ] && want_browser=1

missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql postgresql-contrib)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v runuser >/dev/null || missing+=(util-linux)
# pdftoppm and pdftotext: the report pack test turns its pages into images and text.
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium fonts-liberation); fi
if [ ${#missing[@]} -gt 0 ]; then
  log "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's postgresql package starts a system cluster; the project runs its own, so stop theirs
# only if we just installed it (never touch a cluster somebody else relies on).
if printf '%s\n' "${missing[@]}" | grep -qx postgresql; then
  service postgresql stop >/dev/null 2>&1 || true
fi

deps_hash=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -x "$PY" ] || [ ! -f "$VENV/.deps-$deps_hash" ]; then
  log "Installing Python packages into $VENV"
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$PY" -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING' || true
  "$PY" -m pip install -q -e ".[dev]" 2>&1 | grep -v '^WARNING' || true
  "$PY" -c 'import django, rest_framework, celery, psycopg2' # fail loudly if the install did not take
  rm -f "$VENV"/.deps-*
  touch "$VENV/.deps-$deps_hash"
fi

# The Department for Education's CIN census rules (csc-validator-be-cin) pin pandas<2 and need
# numpy<2 and pytest, so they live in a virtual environment of their own, run as a subprocess.
CIN_VENV="${NT_CIN_VENV:-$ROOT/.cin-venv}"
if [ ! -f "$CIN_VENV/.cin-validator-0.1.13" ] || [ ! -x "$CIN_VENV/bin/python" ]; then
  log "Installing the CIN census validator into $CIN_VENV"
  [ -x "$CIN_VENV/bin/python" ] || python3 -m venv "$CIN_VENV"
  "$CIN_VENV/bin/pip" install -q csc-validator-be-cin==0.1.13 'numpy<2' pytest 2>&1 | grep -v '^WARNING' || true
  "$CIN_VENV/bin/python" -c 'import cin_validator.cin_validator'
  touch "$CIN_VENV/.cin-validator-0.1.13"
fi

npm_hash=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
if [ ! -f "node_modules/.deps-$npm_hash" ]; then
  log "Installing front-end packages (govuk-frontend, Chart.js, axe-core)"
  if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; else npm install --silent --no-audit --no-fund; fi
  touch "node_modules/.deps-$npm_hash"
fi
bash scripts/build_static.sh
