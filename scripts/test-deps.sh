#!/usr/bin/env bash
# The system programs the tests drive, installed where this can be done: as root, with apt-get (as on
# CI and the project's build machines). Elsewhere nothing is installed, and each test that needs a
# missing program is skipped with a reason that names it.
#   postgresql   the store's tests on a real PostgreSQL 15 (initdb + pg_ctl in a temporary folder)
#   newsboat     a real feed reader against the feed server (OPML import, conditional reloads)
#   chromium, chromium-driver   headless Chromium driven by Selenium over the web index
#   systemd      systemd-analyze verify / security on the units of deploy/
set -euo pipefail
packages=(postgresql newsboat chromium chromium-driver systemd)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing for the tests: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "not root or no apt-get: the tests that need ${missing[*]} will be skipped" >&2
fi
