# Sourced by run.sh, test.sh and lock.sh: makes or reuses the project's virtual environment and
# installs a lock file into it. Nothing here needs root, except installing the distribution's
# venv package where it is missing (then only as root; otherwise it prints the command).
#
#   LOGIT_PYTHON  the interpreter that makes the environment (default: python3, else python)
#
# After `use_venv DIR`, $VENV_PYTHON is the environment's python.

MIN_PYTHON="3.11"

find_python() {
  local candidate
  for candidate in "${LOGIT_PYTHON:-}" python3 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1; then
      if "$candidate" -c "import sys; sys.exit(sys.version_info < (${MIN_PYTHON/./, }))" 2>/dev/null; then
        command -v "$candidate"
        return 0
      fi
      echo "logit: $candidate is Python $("$candidate" -c 'import platform; print(platform.python_version())'), but logit needs $MIN_PYTHON or newer." >&2
    fi
  done
  echo "logit: no Python $MIN_PYTHON or newer found. Install one (Debian/Ubuntu: apt install python3), or name it: LOGIT_PYTHON=/path/to/python3 bash $0" >&2
  return 1
}

# Debian and Ubuntu ship venv/ensurepip apart from python3 (package python3.X-venv).
venv_package() {
  "$1" -c 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}-venv")'
}

make_venv() {
  local python=$1 dir=$2 package
  "$python" -m venv "$dir" >/dev/null 2>&1 && "$dir/bin/python" -m pip --version >/dev/null 2>&1 && return 0
  rm -rf "$dir"
  package=$(venv_package "$python")
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "logit: $python cannot make a virtual environment; installing $package..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
    "$python" -m venv "$dir" && "$dir/bin/python" -m pip --version >/dev/null 2>&1 && return 0
    rm -rf "$dir"
  fi
  echo "logit: $python cannot make a virtual environment (its venv/ensurepip part is missing)." >&2
  echo "logit: run this once, then try again:  sudo apt install $package" >&2
  return 1
}

# use_venv DIR: the environment in DIR, made if missing or broken.
use_venv() {
  local dir=$1 python
  if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c "import sys" >/dev/null 2>&1; then
    python=$(find_python) || return 1
    rm -rf "$dir"
    echo "logit: making a virtual environment in $dir with $python..." >&2
    make_venv "$python" "$dir" || return 1
  fi
  VENV_PYTHON="$dir/bin/python"
}

# install_lock LOCK: install LOCK's exact versions and the project itself (editable, so that
# `python -m logit`, the `logit` command and `import logit` work from any folder). Skipped when
# this lock and pyproject.toml were installed into this environment before. Then, either way,
# fetch Plotly's cartesian bundle for the training view if it is missing or of another plotly.js
# version (quick when it is there; without network the view serves plotly's full bundle).
install_lock() {
  local lock=$1 stamp digest
  stamp="$(dirname "$VENV_PYTHON")/../.logit-installed-$(basename "$lock")"
  digest=$("$VENV_PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(b"".join(open(p, "rb").read() for p in sys.argv[1:])).hexdigest())' "$lock" pyproject.toml)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "logit: installing $lock into $(dirname "$(dirname "$VENV_PYTHON")")..." >&2
    "$VENV_PYTHON" -m pip install --quiet --disable-pip-version-check -r "$lock"
    "$VENV_PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps -e .
    echo "$digest" > "$stamp"
  fi
  "$VENV_PYTHON" -m logit.ui.plotly_bundle --quiet || true
}
