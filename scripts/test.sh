#!/usr/bin/env bash
# The quality gate: ruff, mypy strict on the core, dependency audit, makemigrations --check,
# pytest (warnings are errors) on SQLite, then on PostgreSQL.
# Usage: scripts/test.sh [sqlite|postgres|all]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
which="${1:-all}"
PG_URL="${DATABASE_URL_PG:-postgres://postgres@127.0.0.1:5432/test}"
export PYTHONDONTWRITEBYTECODE=1

echo "== ruff"
$BIN/ruff check src tests $(ls -d benchmarks scripts 2>/dev/null)
$BIN/ruff format --check src tests $(ls -d benchmarks scripts 2>/dev/null)
echo "== mypy (strict, pure core)"
$BIN/mypy
echo "== dependency audit (requirements.lock)"
# Fails on a known vulnerability; says loudly, without failing, when the advisory data is unreachable.
$BIN/python scripts/audit_dependencies.py requirements.lock
echo "== makemigrations --check"
DATABASE_URL= $BIN/barometre manage makemigrations --check --dry-run

pg_reachable() {
  $BIN/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL unreachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

if [ "$which" = all ] || [ "$which" = sqlite ]; then
  echo "== pytest on SQLite"
  DATABASE_URL= $BIN/pytest -q
fi
if [ "$which" = all ] || [ "$which" = postgres ]; then
  if pg_reachable; then
    echo "== pytest on PostgreSQL ($PG_URL)"
    # The pure-core and browser tests do not touch the database: run the
    # database-backed tests again on PostgreSQL.
    DATABASE_URL="$PG_URL" $BIN/pytest -q -m "not browser" --ignore=tests/core
  elif [ "${CI:-}" = "true" ] || [ "$which" = postgres ]; then
    echo "PostgreSQL is required here but not reachable" >&2
    exit 1
  else
    echo "== PostgreSQL not reachable: skipped (CI requires it)"
  fi
fi
