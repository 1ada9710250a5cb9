#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine, then runs them all:
#   bash scripts/test.sh                 the locked versions (requirements-test.txt) in .venv
#   bash scripts/test.sh --latest        the newest release of every dependency, in .venv-latest
#   bash scripts/test.sh -m "not slow"   extra arguments go to pytest
#
# Installs, when missing: the project's virtual environment and its packages; and, as root on
# Debian/Ubuntu, the system packages the browser, deploy and room tests drive (chromium, nginx,
# redis-server) and the fonts that make Chinese readable in screenshots (fonts-noto-cjk). Not root: it says what is
# missing, and those tests skip (CI sets LOGIT_REQUIRE_BROWSER=1, which makes a missing browser fail).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh

latest=0
if [ "${1:-}" = "--latest" ]; then
  latest=1
  shift
fi

if [ "$latest" = 1 ]; then
  # No lock: what pip finds newest today for pyproject.toml's ranges, in an environment of its own.
  use_venv .venv-latest
  echo "logit: installing the newest releases into .venv-latest..." >&2
  "$VENV_PYTHON" -m pip install --quiet --disable-pip-version-check --upgrade --upgrade-strategy eager -e ".[test]"
  "$VENV_PYTHON" -m pip list --disable-pip-version-check --format=freeze > .venv-latest/versions.txt
  "$VENV_PYTHON" -m logit.ui.plotly_bundle --quiet || true  # the partial bundle of the newest plotly.js
  echo "logit: versions tested are listed in .venv-latest/versions.txt" >&2
else
  use_venv .venv
  install_lock requirements-test.txt
fi

# System packages: the browser tests drive Debian's Chromium (or one `playwright install chromium`
# put in Playwright's cache), the deploy test puts nginx in front of two app processes, the room
# tests start redis-server on loopback.
missing=()
if [ -z "${LOGIT_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
   && ! "$VENV_PYTHON" -c "from playwright.sync_api import sync_playwright as p; import os, sys; s = p().start(); sys.exit(0 if os.path.exists(s.chromium.executable_path) else 1)" 2>/dev/null; then
  missing+=(chromium)
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  missing+=(nginx)
fi
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  missing+=(redis-server)
fi
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  missing+=(fonts-noto-cjk)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "logit: installing ${missing[*]} for the browser and deploy tests..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "logit: missing ${missing[*]}; install them (sudo apt install ${missing[*]}) or the tests that need them skip" >&2
  fi
fi

exec "$VENV_PYTHON" -m pytest "$@"
