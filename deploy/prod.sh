#!/usr/bin/env bash
# The production profile on one machine: PostgreSQL, the Redis cache, gunicorn with several
# worker processes (static files by whitenoise) and the task worker as its own process.
# `make prod` runs it; docs/deploy.md explains each variable. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

export DJANGO_PROFILE=production DEBUG=false
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/clusterhub}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export BIND=${BIND:-127.0.0.1:8000}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export CLUSTERHUB_VAR_DIR=${CLUSTERHUB_VAR_DIR:-$PWD/var}
mkdir -p "$CLUSTERHUB_VAR_DIR"
if [[ -z "${SECRET_KEY:-}" ]]; then
  # Generated once on this machine and kept out of git (var/ is ignored).
  keyfile="$CLUSTERHUB_VAR_DIR/prod_secret_key"
  [[ -s "$keyfile" ]] || (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$keyfile")
  SECRET_KEY=$(cat "$keyfile")
  export SECRET_KEY
fi
if [[ "${LOCAL_HTTP:-0}" == 1 ]]; then
  # Trying the profile over plain http on this machine: no https redirect, no secure-only
  # cookies. Behind a TLS proxy in real use, leave LOCAL_HTTP unset.
  export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
fi

# The database must exist; the role needs CREATEDB only for this first step.
dbname=${DATABASE_URL##*/}; dbname=${dbname%%\?*}
server=${DATABASE_URL%/*}/postgres
if ! psql "$server" -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
  psql "$server" -qc "CREATE DATABASE \"$dbname\""
  echo "clusterhub: created the database $dbname"
fi
"$PY" -m clusterhub migrate --no-input
"$PY" -m clusterhub collectstatic --no-input --verbosity 0
if [[ "${DEMO:-0}" == 1 ]]; then
  "$PY" -m clusterhub load_demo
fi

# The task worker(s) beside the web server; they share nothing but the database.
read -ra worker <<<"${WORKER_COMMAND:-worker --queue-name * --no-reload}"  # no globbing
pids=()
for _ in $(seq 1 "${TASK_WORKERS:-1}"); do
  "$PY" -m clusterhub "${worker[@]}" &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
echo "clusterhub (production profile): http://$BIND/ with ${WEB_CONCURRENCY:-several} web workers, ${#pids[@]} task worker(s)"
"$PY" -m gunicorn -c deploy/gunicorn.conf.py
