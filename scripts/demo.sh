#!/usr/bin/env bash
# Install, create the database, load the demo municipality and serve it on
# http://127.0.0.1:8000 (SQLite, in-process background work).
set -euo pipefail
export KLANTOCRATIE_DEMO="${KLANTOCRATIE_DEMO:-1}"
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p var
.venv/bin/klantocratie migrate --no-input
.venv/bin/klantocratie load-demo --persons "${KLANTOCRATIE_DEMO_PERSONS:-10000}"
echo "klantocratie draait op http://127.0.0.1:8000 — kies een demorol op de startpagina."
KLANTOCRATIE_DEBUG="${KLANTOCRATIE_DEBUG:-1}" exec .venv/bin/klantocratie runserver 127.0.0.1:8000
