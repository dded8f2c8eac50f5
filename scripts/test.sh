#!/usr/bin/env bash
# The quality gates.
#   check     ruff, mypy, and every test not marked `slow` or `browser`, on SQLite, spread over the
#             cores by pytest-xdist: the gate to run before each commit (about a minute).
#   sqlite    ruff, mypy, dependency audit, makemigrations --check, then every test on SQLite.
#   postgres  the same checks, then only the tests that touch the database, on PostgreSQL.
#   all       (default, `make test`) sqlite then postgres.
# PYTEST_WORKERS sets the number of pytest-xdist workers (default: auto, one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
which="${1:-all}"
PG_URL="${DATABASE_URL_PG:-postgres://postgres@127.0.0.1:5432/test}"
WORKERS="${PYTEST_WORKERS:-auto}"
# Keep compiled modules and pytest's rewritten test modules between runs (some environments turn
# bytecode off): recompiling them costs each pytest worker several seconds.
unset PYTHONDONTWRITEBYTECODE

echo "== ruff"
$BIN/ruff check src tests benchmarks scripts
$BIN/ruff format --check src tests benchmarks scripts
echo "== mypy"
$BIN/mypy

if [ "$which" = check ]; then
  echo "== pytest on SQLite, not slow, not browser ($WORKERS workers)"
  DATABASE_URL= $BIN/pytest -q -n "$WORKERS" --dist loadgroup -m "not slow and not browser"
  exit 0
fi

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
  echo "== pytest on SQLite ($WORKERS workers)"
  DATABASE_URL= $BIN/pytest -q -n "$WORKERS" --dist loadgroup
fi
if [ "$which" = all ] || [ "$which" = postgres ]; then
  if pg_reachable; then
    echo "== pytest on PostgreSQL ($PG_URL): the tests that touch the database"
    # The others (pure core, checks of the code itself) gave the same answer on SQLite; the browser
    # tests drive the same views through a live server.
    DATABASE_URL="$PG_URL" BAROMETRE_ONLY_DATABASE_TESTS=1 $BIN/pytest -q -n "$WORKERS" --dist loadgroup -m "not browser"
  elif [ "${CI:-}" = "true" ] || [ "$which" = postgres ]; then
    echo "PostgreSQL is required here but not reachable" >&2
    exit 1
  else
    echo "== PostgreSQL not reachable: skipped (CI requires it)"
  fi
fi
