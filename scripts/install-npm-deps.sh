#!/usr/bin/env bash
# Installs the npm assets the tests use (axe-core), from package-lock.json. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
  exit 0
fi
if [ -f node_modules/axe-core/axe.min.js ] && [ node_modules/axe-core/axe.min.js -nt package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
