#!/usr/bin/env bash
# make bench: measures every figure the issues ask for and prints numbers and ratios.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/services.sh data
export NT_REDIS_URL="redis://127.0.0.1:$NT_REDIS_PORT/${NT_BENCH_REDIS_DB:-14}"
"$PY" -m bench "$@"
