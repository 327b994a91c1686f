#!/usr/bin/env bash
# The whole suite: lint, types, migrations, then pytest on SQLite and on
# PostgreSQL, browser tests included. `make test` runs this after setup.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export WARDKEEPER_DATA_DIR="$PWD/var/test-data"
mkdir -p "$WARDKEEPER_DATA_DIR" test-artifacts

step() { printf '\n== %s\n' "$*"; }

step "ruff"
ruff check src tests bench scripts
ruff format --check src tests bench scripts

step "mypy"
mypy

step "django checks and migrations"
wardkeeper check --deploy --fail-level WARNING
wardkeeper makemigrations --check --dry-run

step "translations"
scripts/check_translations.py

PG_URL="${WARDKEEPER_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/wardkeeper}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi

# The browser tests run on their own: Playwright's synchronous API keeps an
# event loop running in its thread for the whole session, and the monitoring
# tests start event loops of their own. Two workers, each with its browser
# and live server, as the rest of the suite.
step "pytest on SQLite"
pytest -n 2 --dist loadgroup --ignore=tests/browser --cov --cov-report= "$@"
pytest tests/browser -n 2 --cov --cov-append --cov-report=term:skip-covered --cov-fail-under=85 "$@"

# The engine and probe tests, and every test marked no_db (tests/conftest.py:
# no Django database, or a process on a SQLite data directory of its own),
# would only repeat the SQLite pass: once is enough.
step "pytest on PostgreSQL"
WARDKEEPER_DATABASE_URL="$PG_URL" pytest -n 2 --dist loadgroup --ignore=tests/browser \
  --ignore=tests/monitoring/engine --ignore=tests/monitoring/probes -m "not no_db" "$@"
WARDKEEPER_DATABASE_URL="$PG_URL" pytest tests/browser -n 2 "$@"
