#!/usr/bin/env bash
# Install and run the whole test suite. SQLite by default; set
# KLANTOCRATIE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/klantocratie for PostgreSQL.
# Browser tests use Debian's chromium (installed here when missing and we are root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium could not be installed; browser tests will be skipped"
fi
# axe-core (accessibility checks in the browser tests) comes from npm, pinned in package-lock.json.
if command -v npm >/dev/null; then
  npm ci --no-audit --no-fund --silent
else
  echo "npm not found; the accessibility checks will be skipped"
fi
exec .venv/bin/pytest "$@"
