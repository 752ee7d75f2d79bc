#!/usr/bin/env bash
# Run a command of the platform with the production configuration, from the project's directory:
#   deploy/with-env.sh .venv/bin/python manage.py clearsessions
# The configuration is read from AMRC_ENV_FILE (/etc/amrc/amrc.env by default), the file systemd's
# unit reads too (deploy/amrc.service), so that scheduled jobs and the app servers never disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1090
. "${AMRC_ENV_FILE:-/etc/amrc/amrc.env}"
set +a
exec "$@"
