#!/usr/bin/env bash
# Installs the npm packages the tests use (axe-core; @etalab/decoupage-administratif, the registry's
# source, rebuilt byte for byte by a test), from package-lock.json. Idempotent: nothing to do when
# node_modules was installed from this very lock file (stamp node_modules/.barometre-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.barometre-lock.json
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
