#!/usr/bin/env bash
# Writes the locks from pyproject.toml's one list of direct dependencies, with uv:
#   requirements.txt       the run-time packages (what scripts/run.sh and Streamlit Community Cloud install)
#   requirements-test.txt  the same versions plus the test extra (what scripts/test.sh and CI install)
# Universal: one file for Linux, macOS and Windows and every Python logit supports (markers say
# where a pin differs). Run it after changing pyproject.toml's dependencies; `--upgrade` moves
# every pin to the newest release.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
use_venv .venv
"$VENV_PYTHON" -m pip install --quiet --disable-pip-version-check "uv>=0.9"
uv=("$VENV_PYTHON" -m uv pip compile pyproject.toml --universal --python-version "$MIN_PYTHON" --quiet "$@")
"${uv[@]}" --output-file requirements.txt
"${uv[@]}" --extra test --constraint requirements.txt --output-file requirements-test.txt
echo "logit: wrote requirements.txt and requirements-test.txt" >&2
