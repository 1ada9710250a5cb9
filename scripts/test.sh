#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine, then runs them all:
#   bash scripts/test.sh            (extra arguments go to pytest)
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# The browser tests drive a real Chromium. Use one that is already there (Debian's
# package, or one installed by `playwright install chromium`); otherwise install
# Debian's package when we can.
if [ -z "${LOGIT_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
   && ! python -c "from playwright.sync_api import sync_playwright as p; import os, sys; s = p().start(); sys.exit(0 if os.path.exists(s.chromium.executable_path) else 1)" 2>/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    python -m playwright install chromium || echo "warning: no Chromium found; browser tests will be skipped"
  fi
fi

# The deploy test (tests/e2e/test_deploy.py) puts nginx in front of two app processes.
# Use the nginx that is there; otherwise install Debian's package when we can.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's nginx for the deploy test..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  else
    echo "warning: no nginx found; the deploy test will be skipped"
  fi
fi

exec python -m pytest "$@"
