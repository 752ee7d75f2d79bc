#!/usr/bin/env bash
# Back up the platform's PostgreSQL database: deploy/backup.sh DIRECTORY
#
# Writes DIRECTORY/<database>-<UTC time>.dump (pg_dump's custom format, for pg_restore) and, beside
# it, a .manifest: row counts and digests of the published bulletins (deploy/backup-manifest.sql),
# read in the very snapshot the dump was taken from, so that a restore can be checked against it
# while the platform keeps running (deploy/restore-drill.sh). DATABASE_URL names the database.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
directory="${1:?Usage: deploy/backup.sh DIRECTORY}"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"

# A backup holds personal data and password hashes: readable by its owner only.
umask 077
mkdir -p "$directory"
database="${DATABASE_URL%%\?*}"
database="${database##*/}"
base="$directory/$database-$(date -u +%Y%m%dT%H%M%SZ)"
# A failed dump leaves nothing that could be mistaken for a backup.
trap 'rm -f "$base.dump.partial"' EXIT

# One read-only transaction holds the snapshot: pg_dump shares it (--snapshot), the manifest is
# read in it, and both describe the same instant.
coproc PSQL { psql --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="$DATABASE_URL"; }
send() { printf '%s\n' "$1" >&"${PSQL[1]}"; }
receive() {
  local line
  if ! read -r -t 300 line <&"${PSQL[0]}"; then
    echo "backup: psql stopped answering." >&2
    exit 1
  fi
  printf '%s\n' "$line"
}

send "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
send "SELECT pg_export_snapshot();"
snapshot="$(receive)"

pg_dump --format=custom --snapshot="$snapshot" --file="$base.dump.partial" --dbname="$DATABASE_URL"

send "\\i $here/backup-manifest.sql"
send "SELECT 'end-of-manifest';"
manifest=""
while true; do
  line="$(receive)"
  [ "$line" = "end-of-manifest" ] && break
  manifest+="$line"$'\n'
done
send "COMMIT;"
exec {PSQL[1]}>&-
wait "$PSQL_PID"

printf '%s' "$manifest" > "$base.manifest"
# Renamed last: a dump under its final name is complete.
mv "$base.dump.partial" "$base.dump"
echo "$base.dump"
