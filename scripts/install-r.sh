#!/usr/bin/env bash
# Idempotent install of R and the survey package (used by `make bench-r`).
set -euo pipefail
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(survey)' >/dev/null 2>&1; then
  echo "R and survey already installed"; exit 0
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq r-base-core r-cran-survey
