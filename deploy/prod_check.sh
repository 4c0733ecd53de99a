#!/usr/bin/env bash
# End-to-end check of the production profile (run by .ci/run through `make prod-check`):
#   1. deploy/prod.sh on a fresh PostgreSQL database with the Redis cache, gunicorn with
#      several workers, whitenoise and a separate task worker, loading the demo event;
#   2. the site answers (health, pages, API, a static file from whitenoise) and the task
#      worker process runs a real matchmaking job to the end;
#   3. deploy/backup.sh takes a pg_dump, deploy/restore_check.py restores it into another
#      database, compares the row counts of every table and serves the restored copy.
# Needs PostgreSQL and Redis (PG_URL, REDIS_URL); leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
DB=clusterhub_prod_check
export DATABASE_URL="$PG_URL/$DB"
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/15}
export CLUSTERHUB_VAR_DIR
CLUSTERHUB_VAR_DIR=$(mktemp -d /tmp/clusterhub-prod-check.XXXXXX)
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
started=$(date +%s)

psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
cleanup() {
  [[ -n "${prod:-}" ]] && kill -TERM -- "-$prod" 2>/dev/null || true
  sleep 1
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$CLUSTERHUB_VAR_DIR"
}
trap cleanup EXIT

echo "== prod_check: starting the production profile on $base"
setsid env DEMO=1 LOCAL_HTTP=1 BIND="127.0.0.1:$port" WEB_CONCURRENCY=3 \
  deploy/prod.sh >"$CLUSTERHUB_VAR_DIR/prod.log" 2>&1 &
prod=$!
for _ in $(seq 1 240); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$prod" 2>/dev/null || { cat "$CLUSTERHUB_VAR_DIR/prod.log"; echo "prod.sh died"; exit 1; }
  sleep 1
done
curl -fsS "$base/healthz"; echo

fail() { echo "prod_check FAILED: $*"; tail -n 40 "$CLUSTERHUB_VAR_DIR/prod.log"; exit 1; }
workers=$(pgrep -f "gunicorn -c deploy/gunicorn.conf.py" | wc -l)
[[ $workers -ge 4 ]] || fail "expected a gunicorn master and 3 workers, found $workers processes"
home=$(curl -fsS "$base/") || fail "home page"
curl -fsS "$base/events/oslo-deep-dive-days-2025/" >/dev/null || fail "event page"
curl -fsS "$base/api/v1/events/" | grep -q oslo-deep-dive-days-2025 || fail "API event list"
css=$(grep -o '/static/[^"]*\.css' <<<"$home" | head -n1)
[[ "$css" =~ \.[0-9a-f]{12}\.css$ ]] || fail "static files are not hashed by the manifest storage: $css"
curl -fsSI "$base$css" | grep -qi "cache-control: max-age=315360000" || fail "whitenoise did not serve $css"
curl -sS -o /dev/null -w '%{http_code}' "$base/orga/" | grep -q 302 || fail "/orga/ must ask to log in"
"$PY" -m clusterhub shell --no-imports -c "from django.core.cache import cache; cache.set('prod-check', 1); assert cache.get('prod-check') == 1; from django.conf import settings; assert 'redis' in settings.CACHES['default']['BACKEND'].lower()" \
  || fail "the Redis cache"
echo "== prod_check: pages, API, static files and the Redis cache answer ($workers gunicorn processes)"

# A real job through the separate task worker: a matchmaking run of the demo event.
run=$("$PY" -m clusterhub shell --no-imports -c "
from django.db import transaction
from clusterhub.events.models import Event
from clusterhub.matchmaking.services import match_run_create
from clusterhub.matchmaking.tasks import match_run_task
with transaction.atomic():
    run = match_run_create(event=Event.objects.get(slug='oslo-deep-dive-days-2025'), actor=None)
match_run_task.enqueue(run_id=run.pk)
print(run.pk)")
for _ in $(seq 1 120); do
  status=$("$PY" -m clusterhub shell --no-imports -c "from clusterhub.matchmaking.models import MatchRun; print(MatchRun.objects.get(pk=$run).status)")
  [[ "$status" == done ]] && break
  sleep 1
done
[[ "$status" == done ]] || fail "the task worker did not finish matchmaking run $run (status $status)"
echo "== prod_check: the task worker ran matchmaking run $run to the end"

dump=$(deploy/backup.sh "$CLUSTERHUB_VAR_DIR/backup.dump")
echo "== prod_check: backup $(du -h "$dump" | cut -f1) at $dump"
"$PY" deploy/restore_check.py "$dump"
echo "== prod_check: OK in $(( $(date +%s) - started ))s"
