#!/usr/bin/env bash
# The machine's secrets for `make run`: a `.env` file next to the Makefile (ignored by git, mode
# 600) with a Django secret key and the password of the project-owned PostgreSQL cluster, both
# generated on first run. Lines already present are kept; missing ones are appended.
# Usage: scripts/env.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_FILE=.env

random() { python3 -c "import secrets; print(secrets.token_urlsafe($1))"; }

umask 077
touch "$ENV_FILE"
chmod 600 "$ENV_FILE"
if ! grep -q '^DJANGO_SECRET_KEY=' "$ENV_FILE"; then
    echo "DJANGO_SECRET_KEY=$(random 50)" >>"$ENV_FILE"
    echo "Generated a secret key in $ENV_FILE"
fi
if ! grep -q '^JEJARING_PG_PASSWORD=' "$ENV_FILE"; then
    echo "JEJARING_PG_PASSWORD=$(random 24)" >>"$ENV_FILE"
    echo "Generated the database password in $ENV_FILE"
fi
