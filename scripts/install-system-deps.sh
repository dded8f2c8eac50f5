#!/usr/bin/env bash
# Installs the Debian packages the tests need (idempotent): Chromium for the
# browser tests, poppler-utils for PDF checks, gettext for translations,
# libharfbuzz-subset0 for WeasyPrint's font subsetting (it warns without it).
set -euo pipefail
pkgs=(chromium poppler-utils gettext fonts-dejavu-core libharfbuzz-subset0)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
