#!/usr/bin/env bash
# make bench: measures every figure the issues ask for and prints numbers and ratios.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/services.sh data
# Bench databases are thrown away: asynchronous commit for speed (make run keeps it on).
export NT_DB_SYNCHRONOUS_COMMIT=off
unset NT_DB_APP_USER
export NT_REDIS_URL="redis://127.0.0.1:$NT_REDIS_PORT/${NT_BENCH_REDIS_DB:-14}"
"$PY" -m bench "$@"
