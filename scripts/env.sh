# Shared defaults for the project's scripts; every value can be overridden from the environment.
# Sourced, not executed.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${NT_RUN_DIR:-$ROOT/run}"
VENV="${NT_VENV:-$ROOT/.venv}"
export NT_DB_HOST="${NT_DB_HOST:-127.0.0.1}"
export NT_DB_PORT="${NT_DB_PORT:-54329}"
export NT_DB_NAME="${NT_DB_NAME:-neglect_tracker}"
export NT_DB_USER="${NT_DB_USER:-neglect}"
export NT_DB_PASSWORD="${NT_DB_PASSWORD:-neglect-local-only}"
export NT_DB_APP_ROLE="${NT_DB_APP_ROLE:-neglect_app}"
export NT_DB_APP_PASSWORD="${NT_DB_APP_PASSWORD:-neglect-app-local-only}"
export NT_REDIS_PORT="${NT_REDIS_PORT:-63799}"
export NT_REDIS_URL="${NT_REDIS_URL:-redis://127.0.0.1:$NT_REDIS_PORT/0}"
export NT_WEB_PORT="${NT_WEB_PORT:-8000}"
export NT_DEMO_CHILDREN="${NT_DEMO_CHILDREN:-600}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-neglect_tracker.settings}"
PY="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && echo "$d"
}
