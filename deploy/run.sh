#!/usr/bin/env bash
# Several logit processes behind nginx on one machine, for a workshop that outgrows one
# Python process:
#
#   bash deploy/run.sh --replicas 4 --port 8080
#
# starts 4 Streamlit processes on 127.0.0.1:8081..8084, a Redis server on 127.0.0.1:8085 that
# keeps the classroom rooms all replicas share, and nginx on port 8080 (all interfaces) with
# sticky sessions; waits until /_stcore/health answers through nginx and prints the URL.
# Ctrl-C (or TERM) stops exactly the processes it started, by PID.
#
# Options:
#   --replicas N     Streamlit processes (default 2), on the ports after --port
#   --port P         nginx's port (default 8501)
#   --address A      nginx's listen address (default 0.0.0.0; 127.0.0.1 for this machine only)
#   --run-dir DIR    rendered nginx.conf, pid files, logs (default: a new temporary directory)
#   --timeout S      seconds to wait for everything to be healthy (default 120)
#   --redis-port P   the Redis server's port (default: the one after the replicas')
# Environment: PYTHON (default: the project's .venv, made and filled from requirements.txt as
# scripts/run.sh does), LOGIT_NGINX (default: nginx on PATH or /usr/sbin/nginx), LOGIT_REDIS
# (default: redis-server on PATH or /usr/bin/redis-server), LOGIT_REDIS_URL (a Redis server of
# your own: then none is started).
# Needs no root: the pid, logs, Redis's append-only file and nginx's temporary files all go to
# the run directory (a room outlives a restart of any replica, and of Redis itself).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TEMPLATE="$ROOT/deploy/nginx.conf.template"

REPLICAS=2
PORT=8501
REDIS_PORT=""
ADDRESS=0.0.0.0
RUN_DIR=""
TIMEOUT=120

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "deploy/run.sh: $*" >&2; exit 2; }
is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }

while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) REPLICAS="${2:-}"; shift 2 || die "--replicas needs a value" ;;
    --replicas=*) REPLICAS="${1#*=}"; shift ;;
    --port) PORT="${2:-}"; shift 2 || die "--port needs a value" ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --address) ADDRESS="${2:-}"; shift 2 || die "--address needs a value" ;;
    --address=*) ADDRESS="${1#*=}"; shift ;;
    --run-dir) RUN_DIR="${2:-}"; shift 2 || die "--run-dir needs a value" ;;
    --run-dir=*) RUN_DIR="${1#*=}"; shift ;;
    --timeout) TIMEOUT="${2:-}"; shift 2 || die "--timeout needs a value" ;;
    --timeout=*) TIMEOUT="${1#*=}"; shift ;;
    --redis-port) REDIS_PORT="${2:-}"; shift 2 || die "--redis-port needs a value" ;;
    --redis-port=*) REDIS_PORT="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

if [ -z "${PYTHON:-}" ]; then
  (cd "$ROOT" && . scripts/venv.sh && use_venv .venv && install_lock requirements.txt) || exit 2
  PYTHON="$ROOT/.venv/bin/python"
fi

is_int "$REPLICAS" && [ "$REPLICAS" -ge 1 ] || die "--replicas must be a whole number ≥ 1, got '$REPLICAS'"
is_int "$PORT" && [ "$PORT" -ge 1 ] && [ $((PORT + REPLICAS)) -le 65535 ] \
  || die "--port must leave room for $REPLICAS replica ports below 65536, got '$PORT'"
is_int "$TIMEOUT" || die "--timeout must be a whole number of seconds, got '$TIMEOUT'"
[ -n "$ADDRESS" ] || die "--address must not be empty"

if [ -z "$REDIS_PORT" ]; then REDIS_PORT=$((PORT + REPLICAS + 1)); fi
is_int "$REDIS_PORT" && [ "$REDIS_PORT" -ge 1 ] && [ "$REDIS_PORT" -le 65535 ] \
  || die "--redis-port must be a port number, got '$REDIS_PORT'"
REDIS_BIN=""
if [ -z "${LOGIT_REDIS_URL:-}" ]; then
  REDIS_BIN="${LOGIT_REDIS:-$(command -v redis-server || true)}"
  if [ -z "$REDIS_BIN" ] && [ -x /usr/bin/redis-server ]; then REDIS_BIN=/usr/bin/redis-server; fi
  [ -n "$REDIS_BIN" ] && [ -x "$REDIS_BIN" ] \
    || die "redis-server not found (Debian: apt-get install --no-install-recommends redis-server; or set LOGIT_REDIS, or LOGIT_REDIS_URL for a server of your own)"
fi

# nginx reads the environment variable NGINX as sockets inherited from an old master: keep it out.
unset NGINX
NGINX_BIN="${LOGIT_NGINX:-$(command -v nginx || true)}"
if [ -z "$NGINX_BIN" ] && [ -x /usr/sbin/nginx ]; then NGINX_BIN=/usr/sbin/nginx; fi
[ -n "$NGINX_BIN" ] && [ -x "$NGINX_BIN" ] \
  || die "nginx not found (Debian: apt-get install --no-install-recommends nginx; or set LOGIT_NGINX)"

if [ -z "$RUN_DIR" ]; then
  RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/logit-deploy.XXXXXX")"
else
  mkdir -p "$RUN_DIR"
fi
RUN_DIR="$(cd "$RUN_DIR" && pwd)"
mkdir -p "$RUN_DIR/tmp"
cd "$ROOT"  # the replicas read .streamlit/config.toml from here

# --- stopping: exactly the processes started below, by PID --------------------------------

PIDS=()         # every PID this script started
NGINX_PID=""
REDIS_PID=""
STOPPING=0

stop_all() {
  if [ "$STOPPING" = 1 ]; then return; fi
  STOPPING=1
  set +e
  trap - INT TERM
  local pid alive deadline
  # nginx first, so no new request reaches a replica that is stopping.
  for pid in ${NGINX_PID:+"$NGINX_PID"} "${REPLICA_PIDS[@]}" ${REDIS_PID:+"$REDIS_PID"}; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  deadline=$((SECONDS + 15))
  while :; do
    alive=()
    for pid in "${PIDS[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); fi
    done
    if [ ${#alive[@]} -eq 0 ]; then break; fi
    if [ $SECONDS -ge $deadline ]; then
      echo "deploy/run.sh: killing ${alive[*]} (still running 15 s after TERM)" >&2
      kill -KILL "${alive[@]}" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  wait 2>/dev/null || true
  rm -f "$RUN_DIR/pids"
}

on_signal() {
  echo "deploy/run.sh: stopping (nginx ${NGINX_PID:-not started}, replicas ${REPLICA_PIDS[*]:-none})" >&2
  stop_all
  exit 0
}

REPLICA_PIDS=()
trap on_signal INT TERM
trap stop_all EXIT

# --- Redis: the rooms every replica shares -----------------------------------------------------

DETACH=()
if command -v setsid >/dev/null 2>&1; then DETACH=(setsid); fi

if [ -n "$REDIS_BIN" ]; then
  mkdir -p "$RUN_DIR/redis"
  "${DETACH[@]}" "$REDIS_BIN" --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$RUN_DIR/redis" \
    --appendonly yes --save "" --daemonize no --logfile "$RUN_DIR/redis.log" </dev/null &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
  LOGIT_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "redis: pid $REDIS_PID on 127.0.0.1:$REDIS_PORT (log $RUN_DIR/redis.log; if it stops, rooms are unavailable until it is started again with: $REDIS_BIN --bind 127.0.0.1 --port $REDIS_PORT --dir $RUN_DIR/redis --appendonly yes)"
fi
export LOGIT_REDIS_URL

# --- the replicas ---------------------------------------------------------------------------

# One upload limit for nginx and every replica: Streamlit's own setting (.streamlit/config.toml).
MAX_UPLOAD_MB="$("$PYTHON" -c 'from streamlit import config; print(int(config.get_option("server.maxUploadSize")))')"
is_int "$MAX_UPLOAD_MB" || die "could not read server.maxUploadSize (got '$MAX_UPLOAD_MB')"

# One cookie secret for all replicas, so a cookie one of them signs is valid on the others.
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  STREAMLIT_SERVER_COOKIE_SECRET="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')"
fi
export STREAMLIT_SERVER_COOKIE_SECRET

# Each child gets a session of its own (setsid keeps the PID, DETACH above), so the terminal's
# Ctrl-C reaches only this script, which then stops nginx, the replicas and Redis, by PID.

REPLICA_PORTS=()
for ((i = 1; i <= REPLICAS; i++)); do
  port=$((PORT + i))
  REPLICA_PORTS+=("$port")
  "${DETACH[@]}" "$PYTHON" -m streamlit run serve.py \
    --server.headless true \
    --server.address 127.0.0.1 \
    --server.port "$port" \
    --server.enableXsrfProtection true \
    --server.maxUploadSize "$MAX_UPLOAD_MB" \
    --server.fileWatcherType none \
    --server.runOnSave false \
    --browser.gatherUsageStats false \
    >"$RUN_DIR/replica-$i.log" 2>&1 </dev/null &
  PIDS+=("$!")
  REPLICA_PIDS+=("$!")
  echo "replica $i: pid $! on 127.0.0.1:$port (log $RUN_DIR/replica-$i.log)"
done

# --- nginx --------------------------------------------------------------------------------

if [ "$(id -u)" = 0 ]; then
  USER_DIRECTIVE="user root;"  # otherwise workers become nobody and can't use the run directory
else
  USER_DIRECTIVE=""
fi
UPSTREAM_SERVERS=""
for port in "${REPLICA_PORTS[@]}"; do
  UPSTREAM_SERVERS+="        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;"$'\n'
done
UPSTREAM_SERVERS="${UPSTREAM_SERVERS%$'\n'}"
case "$ADDRESS" in
  *:*) LISTEN="[$ADDRESS]:$PORT" ;;  # IPv6
  *) LISTEN="$ADDRESS:$PORT" ;;
esac

CONF="$RUN_DIR/nginx.conf"
while IFS= read -r line || [ -n "$line" ]; do
  if [ "$line" = "@UPSTREAM_SERVERS@" ]; then
    printf '%s\n' "$UPSTREAM_SERVERS"
    continue
  fi
  line="${line//@RUN_DIR@/"$RUN_DIR"}"
  line="${line//@USER_DIRECTIVE@/"$USER_DIRECTIVE"}"
  line="${line//@LISTEN@/"$LISTEN"}"
  line="${line//@MAX_UPLOAD_MB@/"$MAX_UPLOAD_MB"}"
  printf '%s\n' "$line"
done <"$TEMPLATE" >"$CONF"

"$NGINX_BIN" -t -q -p "$RUN_DIR" -c "$CONF" -e "$RUN_DIR/nginx-error.log" \
  || die "nginx rejected $CONF (see $RUN_DIR/nginx-error.log)"
"${DETACH[@]}" "$NGINX_BIN" -p "$RUN_DIR" -c "$CONF" -e "$RUN_DIR/nginx-error.log" </dev/null &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
echo "nginx: pid $NGINX_PID on $LISTEN (config $CONF)"
printf '%s\n' "${PIDS[@]}" >"$RUN_DIR/pids"

# --- wait until healthy ---------------------------------------------------------------------

healthy() {  # healthy URL: /_stcore/health answers "ok"
  "$PYTHON" - "$1" <<'EOF' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_stcore/health", timeout=3) as response:
    sys.exit(0 if response.status == 200 and response.read().strip() == b"ok" else 1)
EOF
}

case "$ADDRESS" in
  0.0.0.0) PROBE_HOST=127.0.0.1 ;;
  ::) PROBE_HOST="[::1]" ;;
  *:*) PROBE_HOST="[$ADDRESS]" ;;
  *) PROBE_HOST="$ADDRESS" ;;
esac
deadline=$((SECONDS + TIMEOUT))
for target in "${REPLICA_PORTS[@]/#/127.0.0.1:}" "$PROBE_HOST:$PORT"; do
  until healthy "http://$target"; do
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "deploy/run.sh: process $pid exited during start-up; logs in $RUN_DIR" >&2; exit 1; }
    done
    [ $SECONDS -lt $deadline ] || { echo "deploy/run.sh: http://$target not healthy after $TIMEOUT s; logs in $RUN_DIR" >&2; exit 1; }
    sleep 0.5
  done
done

if [ "$ADDRESS" = 0.0.0.0 ] || [ "$ADDRESS" = :: ]; then
  echo "logit is up: http://localhost:$PORT (others: this machine's address, port $PORT) - $REPLICAS replicas; Ctrl-C stops"
else
  echo "logit is up: http://$PROBE_HOST:$PORT - $REPLICAS replicas; Ctrl-C stops"
fi

# --- run until a signal, or until one of the processes exits ---------------------------------

# Redis going away is not the end: the replicas say rooms are unavailable and everything else
# goes on; start it again (same port and folder; its append-only file keeps the rooms) and rooms
# come back. Any other process exiting stops them all.
set +e
SERVING=("${REPLICA_PIDS[@]}" "$NGINX_PID")
wait -n "${SERVING[@]}"
status=$?
for pid in "${SERVING[@]}"; do
  kill -0 "$pid" 2>/dev/null || echo "deploy/run.sh: process $pid exited (status $status); stopping the others; logs in $RUN_DIR" >&2
done
exit 1
