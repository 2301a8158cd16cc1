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
    # Local development cluster: loopback only, no Unix socket, asynchronous commit for speed.
    runuser -u postgres -- "$bin/pg_ctl" -D "$PGDATA" -l "$RUN_DIR/pg/postgres.log" -w -t 60 start -o \
      "-p $NT_DB_PORT -c listen_addresses=$NT_DB_HOST -c unix_socket_directories='' \
       -c synchronous_commit=off -c shared_buffers=512MB -c work_mem=32MB \
       -c maintenance_work_mem=256MB -c max_connections=200" >/dev/null
  fi
  export PGPASSWORD="$NT_DB_PASSWORD"
  if ! "$bin/psql" -h "$NT_DB_HOST" -p "$NT_DB_PORT" -U "$NT_DB_USER" -d postgres -tAc \
       "SELECT 1 FROM pg_database WHERE datname='$NT_DB_NAME'" | grep -q 1; then
    "$bin/createdb" -h "$NT_DB_HOST" -p "$NT_DB_PORT" -U "$NT_DB_USER" "$NT_DB_NAME"
  fi
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
  if ! running "$RUN_DIR/gunicorn.pid"; then
    log "Starting the web server on http://127.0.0.1:$NT_WEB_PORT"
    gunicorn neglect_tracker.wsgi:application --bind "127.0.0.1:$NT_WEB_PORT" \
      --workers "${NT_WEB_WORKERS:-3}" --daemon --pid "$RUN_DIR/gunicorn.pid" \
      --access-logfile "$LOGS/web-access.log" --error-logfile "$LOGS/web.log"
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
