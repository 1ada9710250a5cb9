#!/usr/bin/env bash
# Runs the app on http://localhost:8501, after making the project's virtual environment
# (.venv) and installing the locked run-time packages (requirements.txt) into it if needed.
#   bash scripts/run.sh                      (extra arguments go to `streamlit run`)
#   bash scripts/run.sh --server.port 8600
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
use_venv .venv
install_lock requirements.txt
exec "$VENV_PYTHON" -m streamlit run serve.py "$@"
