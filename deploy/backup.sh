#!/usr/bin/env bash
# Back up the production database with pg_dump (custom format: compressed, restorable table by
# table with pg_restore). Usage: deploy/backup.sh [FILE]; DATABASE_URL names the database.
# Prints the file written. Run it daily from cron; keep copies off this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/clusterhub}"
out=${1:-${CLUSTERHUB_VAR_DIR:-var}/backups/clusterhub-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$out")"
# Dump to a temporary name first, so a failed dump never leaves a file that looks complete.
pg_dump --format=custom --no-owner --no-privileges --file="$out.partial" "$DATABASE_URL"
mv "$out.partial" "$out"
echo "$out"
