#!/usr/bin/env bash
# Project-local PostgreSQL and Redis (under run/), plus the web server, Celery worker and beat.
#   services.sh data    start PostgreSQL and Redis (idempotent)
#   services.sh app     start gunicorn, the Celery worker and Celery beat (idempotent)
#   services.sh stop    stop everything this script started
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

PGDATA="$RUN_DIR/pg/data"
LOGS="$RUN_DIR/logs"
mkdir -p "$RUN_DIR" "$LOGS"

# initdb and postgres refuse to run as root, so the cluster belongs to the distribution's
# postgres user; it must be able to reach its data directory through every parent folder.
make_reachable_for_postgres() {
  local d="$1"
  while [ "$d" != "/" ]; do
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then chmod o+x "$d"; fi
    d=$(dirname "$d")
  done
}

pg_ready() { "$(pg_bin)/pg_isready" -q -h "$NT_DB_HOST" -p "$NT_DB_PORT"; }

start_postgres() {
  local bin; bin=$(pg_bin)
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "Creating the project's PostgreSQL cluster in $PGDATA"
    mkdir -p "$RUN_DIR/pg"
    chown postgres "$RUN_DIR/pg"
    make_reachable_for_postgres "$RUN_DIR/pg"
    local pwfile; pwfile=$(mktemp); printf '%s\n' "$NT_DB_PASSWORD" > "$pwfile"; chown postgres "$pwfile"
    runuser -u postgres -- "$bin/initdb" -D "$PGDATA" -U "$NT_DB_USER" --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  if ! pg_ready; then
    log "Starting PostgreSQL on $NT_DB_HOST:$NT_DB_PORT"
    make_reachable_for_postgres "$RUN_DIR/pg"
    # Loopback only, no Unix socket. synchronous_commit stays on: a concern answered 201 must
    # survive a crash (tests and the bench turn it off for their own sessions only).
    runuser -u postgres -- "$bin/pg_ctl" -D "$PGDATA" -l "$RUN_DIR/pg/postgres.log" -w -t 60 start -o \
      "-p $NT_DB_PORT -c listen_addresses=$NT_DB_HOST -c unix_socket_directories='' \
       -c shared_buffers=512MB -c work_mem=32MB \
       -c maintenance_work_mem=256MB -c max_connections=200" >/dev/null
  fi
  export PGPASSWORD="$NT_DB_PASSWORD"
  if ! "$bin/psql" -h "$NT_DB_HOST" -p "$NT_DB_PORT" -U "$NT_DB_USER" -d postgres -tAc \
       "SELECT 1 FROM pg_database WHERE datname='$NT_DB_NAME'" | grep -q 1; then
    "$bin/createdb" -h "$NT_DB_HOST" -p "$NT_DB_PORT" -U "$NT_DB_USER" "$NT_DB_NAME"
  fi
  app_role
}

# The role the web server and workers connect as: no superuser, cannot create databases or
# roles; migrate (as the owner) grants it the tables and revokes UPDATE, DELETE and TRUNCATE
# on the access and change logs (cases/db_roles.py).
app_role() {
  local psql=("$(pg_bin)/psql" -h "$NT_DB_HOST" -p "$NT_DB_PORT" -U "$NT_DB_USER" -d postgres -qtA
    -v ON_ERROR_STOP=1 -v role="$NT_DB_APP_ROLE" -v pw="$NT_DB_APP_PASSWORD")
  if ! "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='$NT_DB_APP_ROLE'" | grep -q 1; then
    log "Creating the application's database role $NT_DB_APP_ROLE"
    echo "CREATE ROLE :\"role\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;" | "${psql[@]}"
  fi
  echo "ALTER ROLE :\"role\" PASSWORD :'pw';" | "${psql[@]}"
}

redis_ready() { redis-cli -h 127.0.0.1 -p "$NT_REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  if ! redis_ready; then
    log "Starting Redis on 127.0.0.1:$NT_REDIS_PORT"
    mkdir -p "$RUN_DIR/redis"
    redis-server --port "$NT_REDIS_PORT" --bind 127.0.0.1 --dir "$RUN_DIR/redis" --daemonize yes \
      --pidfile "$RUN_DIR/redis/redis.pid" --logfile "$RUN_DIR/redis/redis.log" --save '' --appendonly no
    for _ in $(seq 50); do redis_ready && break; sleep 0.1; done
    redis_ready || { echo "Redis did not start: see $RUN_DIR/redis/redis.log" >&2; exit 1; }
  fi
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_app() {
  # The long-running processes connect as the application role, and log to run/logs/app.log.
  export NT_DB_APP_USER="${NT_DB_APP_USER-$NT_DB_APP_ROLE}"
  export NT_LOG_DIR="${NT_LOG_DIR:-$LOGS}"
  if ! running "$RUN_DIR/gunicorn.pid"; then
    log "Starting the web server on http://127.0.0.1:$NT_WEB_PORT"
    # The access log has the path without its query string (%(U)s, never %(r)s, %(q)s or the
    # referrer), so no identifier a filter carries is written to disk; and the request id.
    gunicorn neglect_tracker.wsgi:application --bind "127.0.0.1:$NT_WEB_PORT" \
      --workers "${NT_WEB_WORKERS:-$((2 * $(nproc) + 1))}" --daemon --pid "$RUN_DIR/gunicorn.pid" \
      --access-logfile "$LOGS/web-access.log" --error-logfile "$LOGS/web.log" \
      --access-logformat '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
  fi
  if ! running "$RUN_DIR/celery-worker.pid"; then
    log "Starting the Celery worker"
    celery -A neglect_tracker worker --detach --concurrency 2 -Q interactive,builds,celery \
      --pidfile "$RUN_DIR/celery-worker.pid" --logfile "$LOGS/celery-worker.log" --loglevel INFO
  fi
  if ! running "$RUN_DIR/celery-beat.pid"; then
    log "Starting Celery beat"
    celery -A neglect_tracker beat --detach --scheduler django_celery_beat.schedulers:DatabaseScheduler \
      --pidfile "$RUN_DIR/celery-beat.pid" --logfile "$LOGS/celery-beat.log" --loglevel INFO
  fi
}

stop_pidfile() {
  local f="$1"
  if running "$f"; then
    local pid; pid=$(cat "$f"); kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$f"
}

stop_all() {
  for p in gunicorn celery-beat celery-worker; do stop_pidfile "$RUN_DIR/$p.pid"; done
  if redis_ready; then redis-cli -h 127.0.0.1 -p "$NT_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  if [ -f "$PGDATA/PG_VERSION" ] && pg_ready; then
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  log "Stopped"
}

case "${1:-}" in
  data) start_postgres; start_redis ;;
  app) start_app ;;
  stop) stop_all ;;
  *) echo "usage: $0 data|app|stop" >&2; exit 2 ;;
esac
