#!/usr/bin/env bash
# Restore drill: prove that a backup gives the platform back.
#
#   deploy/restore-drill.sh                 back up DATABASE_URL now (deploy/backup.sh), then restore that
#   deploy/restore-drill.sh FILE.dump       restore a backup made earlier, checked against its .manifest
#
# The backup is restored into a throwaway database on DATABASE_URL's server (RESTORE_DRILL_DATABASE,
# <database>_restore_drill by default), which must not exist yet and is dropped at the end
# (KEEP_RESTORED=1 keeps it for inspection). The restored copy must match the backup's manifest line
# for line: counts of companies, declarations, published revisions, users and applied migrations,
# and the digests of every published snapshot. Exits non-zero, saying what differs, when it does not.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database the backups come from}"

# DATABASE_URL without its query string, split into server and database; options are kept.
address="${DATABASE_URL%%\?*}"
options=""
[ "$address" != "$DATABASE_URL" ] && options="?${DATABASE_URL#*\?}"
server="${address%/*}"
source_database="${address##*/}"
drill_database="${RESTORE_DRILL_DATABASE:-${source_database}_restore_drill}"
drill_url="$server/$drill_database$options"

fail() {
  echo "restore drill: FAILED: $*" >&2
  exit 1
}

[[ "$drill_database" =~ ^[a-z0-9_]{1,63}$ ]] || fail "RESTORE_DRILL_DATABASE must be a plain name (a-z, 0-9, _), not '$drill_database'."
[ "$drill_database" != "$source_database" ] || fail "the drill would restore over the database it checks ($source_database)."

workdir="$(mktemp -d)"
created=""
cleanup() {
  if [ -n "$created" ] && [ "${KEEP_RESTORED:-0}" != "1" ]; then
    psql --no-psqlrc --quiet --dbname="$DATABASE_URL" -c "DROP DATABASE IF EXISTS \"$drill_database\" WITH (FORCE)" >/dev/null
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

if [ $# -ge 1 ]; then
  dump="$1"
else
  echo "Backing up $source_database …"
  dump="$("$here/backup.sh" "$workdir")"
fi
manifest="${dump%.dump}.manifest"
[ -f "$dump" ] || fail "no backup at $dump."
[ -f "$manifest" ] || fail "no manifest beside the backup ($manifest)."

exists="$(psql --no-psqlrc --tuples-only --no-align --dbname="$DATABASE_URL" \
  -c "SELECT 1 FROM pg_database WHERE datname = '$drill_database'")"
[ -z "$exists" ] || fail "the database $drill_database already exists: drop it, or choose another RESTORE_DRILL_DATABASE."

echo "Restoring $(basename "$dump") into $drill_database …"
started=$SECONDS
psql --no-psqlrc --quiet --dbname="$DATABASE_URL" -c "CREATE DATABASE \"$drill_database\"" >/dev/null
created=1
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$drill_url" "$dump"
echo "Restored in $((SECONDS - started)) s."

psql --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="$drill_url" \
  --file="$here/backup-manifest.sql" > "$workdir/restored.manifest"

if ! diff -u --label "backup ($(basename "$manifest"))" --label "restored ($drill_database)" \
  "$manifest" "$workdir/restored.manifest"; then
  fail "the restored database differs from the backup (lines above)."
fi
echo "Restored data match the backup:"
sed 's/^/  /' "$manifest"
echo "restore drill: OK"
